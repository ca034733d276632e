package dev.weft.ipam.internal;

import dev.weft.gossip.api.PeerName;
import dev.weft.ipam.api.Address;
import dev.weft.ipam.api.Cidr;
import dev.weft.ipam.api.InitMode;
import dev.weft.ipam.api.IpamStatus;
import dev.weft.ipam.api.RingView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Status, the ring view, why a request waits, and whom to ask for space. */
final class StatusReport {

    private StatusReport() {}

    static RingView view(Allocator a) {
        Ring r = a.ring;
        List<RingView.Range> ranges = new ArrayList<>();
        for (int k = 0; k < r.size(); k++) {
            Entry e = r.entry(k);
            ranges.add(new RingView.Range(
                    new Address(e.token()),
                    new Address(r.rangeEnd(k) - 1),
                    e.owner().toString(),
                    e.version(),
                    r.free(k)));
        }
        return new RingView(a.config.range(), names(r.seeds()), names(r.removed()), ranges);
    }

    private static List<String> names(List<PeerName> l) {
        return l.stream().map(PeerName::toString).toList();
    }

    /** Peers to ask for space in {@code subnet}: reachable, live, reporting free space, weighted at random. */
    static List<PeerName> donors(Allocator a, Cidr subnet, Set<PeerName> exclude) {
        Ring r = a.ring;
        Map<PeerName, Long> free = new HashMap<>();
        int k = Math.max(0, r.indexOf(subnet.start()));
        for (; k < r.size() && r.entry(k).token() < subnet.end(); k++) {
            PeerName p = r.entry(k).owner();
            long overlap =
                    Math.min(r.rangeEnd(k), subnet.end()) - Math.max(r.entry(k).token(), subnet.start());
            long f = Math.min(r.free(k), overlap);
            if (f > 0 && !p.equals(a.me) && !r.isRemoved(p) && !exclude.contains(p) && a.mesh.isReachable(p)) {
                free.merge(p, f, Long::sum);
            }
        }
        Map<PeerName, Double> weight = new HashMap<>();
        for (Map.Entry<PeerName, Long> e : new TreeMap<>(free).entrySet()) {
            weight.put(e.getKey(), e.getValue() * a.random.nextDouble());
        }
        List<PeerName> out = new ArrayList<>(weight.keySet());
        out.sort(Comparator.comparing((PeerName p) -> weight.get(p)).reversed().thenComparing(p -> p));
        return out;
    }

    /** The exact reason a request waits (or waited until its deadline). */
    static String waitReason(Allocator a, Waiting w) {
        String down = a.unavailableReason();
        if (down != null) {
            return down;
        }
        if (a.ring.isEmpty()) {
            return seedingReason(a);
        }
        if (a.relearning.active()) {
            return relearnReason(a);
        }
        return switch (w) {
            case Waiting.RingRequest r -> "the ring";
            case Waiting.Claim c -> claimReason(a, c);
            case Waiting.Allocate al -> spaceReason(a, al.subnet);
        };
    }

    static String seedingReason(Allocator a) {
        return switch (a.config.init()) {
            case InitMode.Consensus c ->
                "awaiting consensus: " + a.paxos.votersSeen() + " of " + c.expectedPeers()
                        + " expected peers seen (quorum " + c.quorum() + ")"
                        + (a.seeding.consensusStarted ? "" : "; not started (starts with the first request)")
                        + (a.mesh.reachablePeers().isEmpty()
                                ? "; no peer is reachable: is this router connected?"
                                : "");
            case InitMode.Observer o ->
                "observer: waiting for a peer that has the ring ("
                        + a.mesh.reachablePeers().size() + " peers reachable)";
            case InitMode.Seed s -> "seeding from " + s.peerNames();
        };
    }

    static String relearnReason(Allocator a) {
        List<String> waiting = new ArrayList<>();
        for (PeerName p : new java.util.TreeSet<>(a.relearning.waitingFor())) {
            waiting.add(Takeover.describe(a, p) + (a.mesh.isReachable(p) ? "" : " (unreachable)"));
        }
        return "restarted without its store: waiting to hear the ring from " + String.join(", ", waiting)
                + " before allocating from its old space (if a peer is dead, run rmpeer for it)";
    }

    private static String claimReason(Allocator a, Waiting.Claim c) {
        PeerName owner = a.ring.ownerOf(c.address.address().value());
        if (owner == null) {
            return "the ring";
        }
        if (a.ring.isRemoved(owner)) {
            return c.address.address() + " belongs to removed peer " + owner + "; waiting for its heir to take it over";
        }
        if (!a.mesh.isReachable(owner)) {
            return c.address.address() + " is owned by " + Takeover.describe(a, owner)
                    + ", which is unreachable; if it is dead run rmpeer " + owner;
        }
        return "asked " + Takeover.describe(a, owner) + " (its owner) for " + c.address.address() + ", no answer yet";
    }

    static String spaceReason(Allocator a, Cidr subnet) {
        Ring r = a.ring;
        Map<PeerName, Long> owners = new TreeMap<>();
        int k = Math.max(0, r.indexOf(subnet.start()));
        for (; k < r.size() && r.entry(k).token() < subnet.end(); k++) {
            long overlap =
                    Math.min(r.rangeEnd(k), subnet.end()) - Math.max(r.entry(k).token(), subnet.start());
            owners.merge(r.entry(k).owner(), overlap, Long::sum);
        }
        owners.remove(a.me);
        List<String> unreachable = new ArrayList<>();
        boolean anyLive = false;
        for (Map.Entry<PeerName, Long> e : owners.entrySet()) {
            if (r.isRemoved(e.getKey())) {
                unreachable.add(e.getKey() + " (removed, " + e.getValue() + " addresses awaiting its heir)");
            } else if (!a.mesh.isReachable(e.getKey())) {
                unreachable.add(Takeover.describe(a, e.getKey()) + " (" + e.getValue() + " addresses)");
            } else {
                anyLive = true;
            }
        }
        SpaceAsk ask = a.space.asks.get(subnet);
        String here = "no free address in " + subnet + " on this peer; ";
        if (ask != null && ask.donor != null) {
            long ago = (a.nanos() - ask.sentAt) / 1_000_000;
            return here + "asked " + Takeover.describe(a, ask.donor) + " for space " + ago + " ms ago (request "
                    + ask.requests + "), no answer yet";
        }
        if (!anyLive && !unreachable.isEmpty()) {
            return here + "all other space in it is owned by unreachable peers: " + String.join(", ", unreachable)
                    + ". If they are dead, run rmpeer for them on any live peer";
        }
        if (ask != null && !ask.deniedBy.isEmpty()) {
            return here + "every reachable peer with space in it says it has none free (" + ask.deniedBy.size()
                    + " denied); retrying every " + a.config.retryInterval().toSeconds() + " s";
        }
        return here + "no reachable peer reports free space in it (the subnet may be full)"
                + (unreachable.isEmpty() ? "" : "; unreachable owners: " + String.join(", ", unreachable));
    }

    static IpamStatus status(Allocator a) {
        Ring r = a.ring;
        Map<PeerName, Long> owned = r.addressesByOwner();
        Map<PeerName, Long> free = r.freeByOwner();
        long universe = a.end - a.start;
        List<IpamStatus.Owner> owners = new ArrayList<>();
        List<String> advice = new ArrayList<>();
        long unreachableSpace = 0;
        for (Map.Entry<PeerName, Long> e : new TreeMap<>(owned).entrySet()) {
            PeerName p = e.getKey();
            boolean reachable = p.equals(a.me) || a.mesh.isReachable(p);
            boolean removed = r.isRemoved(p);
            String nick = a.mesh.nickname(p);
            owners.add(new IpamStatus.Owner(
                    p.toString(),
                    nick == null ? "" : nick,
                    e.getValue(),
                    100.0 * e.getValue() / universe,
                    free.getOrDefault(p, 0L),
                    reachable,
                    removed));
            if (removed && !p.equals(a.me)) {
                advice.add(p + " was removed; its " + e.getValue() + " addresses await their heir (the owner of the"
                        + " range just below each of its ranges)");
            } else if (!reachable) {
                unreachableSpace += e.getValue();
                advice.add(Takeover.describe(a, p) + " owns " + e.getValue() + " addresses and is unreachable: if it is"
                        + " dead, run `weft rmpeer " + p + "` on any one live peer");
            }
        }
        IpamStatus.State state;
        String summary;
        String down = a.unavailableReason();
        if (a.left) {
            state = IpamStatus.State.LEFT;
            summary = down;
        } else if (!r.isEmpty() && r.isRemoved(a.me)) {
            state = IpamStatus.State.REMOVED;
            summary = down;
        } else if (down != null) {
            state = IpamStatus.State.LEFT;
            summary = down;
        } else if (r.isEmpty()) {
            boolean observer = a.config.init() instanceof InitMode.Observer;
            state = !a.seeding.consensusStarted
                    ? IpamStatus.State.IDLE
                    : observer ? IpamStatus.State.AWAITING_RING : IpamStatus.State.AWAITING_CONSENSUS;
            summary = state == IpamStatus.State.IDLE ? "idle: " + seedingReason(a) : seedingReason(a);
        } else if (a.relearning.active()) {
            state = IpamStatus.State.RELEARNING;
            summary = relearnReason(a);
        } else if (!owned.isEmpty()
                && unreachableSpace + removedSpace(r, owned) == universe - owned.getOrDefault(a.me, 0L)
                && owned.getOrDefault(a.me, 0L) == 0) {
            state = IpamStatus.State.ALL_SPACE_UNREACHABLE;
            summary = "all IP ranges are owned by unreachable or removed peers: use rmpeer if they are dead";
        } else if (!a.requests.waitingAllocations.isEmpty()) {
            state = IpamStatus.State.WAITING_FOR_SPACE;
            summary = "waiting for space: " + spaceReason(a, a.requests.waitingAllocations.peek().subnet);
        } else {
            state = IpamStatus.State.READY;
            summary = "ready";
        }
        if (a.updates.refusedUpdates > 0) {
            advice.add("refused " + a.updates.refusedUpdates
                    + " ring update(s) that would take away space with allocations;" + " last: "
                    + a.updates.lastRefusal);
        }
        long freeHere = 0;
        for (int k = 0; k < r.size(); k++) {
            if (r.entry(k).owner().equals(a.me)) {
                long s = r.entry(k).token();
                long e = r.rangeEnd(k);
                freeHere += (e - s) - a.allocations.usedIn(s, e);
            }
        }
        return new IpamStatus(
                a.me.toString(),
                state,
                summary,
                a.config.range(),
                a.config.defaultSubnet(),
                a.config.init().toString(),
                owners,
                a.allocations.count(),
                freeHere,
                a.requests.waitingAllocations.size(),
                a.requests.waitingClaims.size(),
                a.updates.refusedUpdates,
                a.updates.lastRefusal,
                advice);
    }

    private static long removedSpace(Ring r, Map<PeerName, Long> owned) {
        long n = 0;
        for (Map.Entry<PeerName, Long> e : owned.entrySet()) {
            if (r.isRemoved(e.getKey())) {
                n += e.getValue();
            }
        }
        return n;
    }
}
