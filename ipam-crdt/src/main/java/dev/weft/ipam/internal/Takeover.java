package dev.weft.ipam.internal;

import dev.weft.gossip.api.PeerName;
import dev.weft.ipam.api.Address;
import dev.weft.ipam.api.IpamException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Leaving and rmpeer: who inherits space, and the rmpeer operation itself.
 *
 * <p><b>Deterministic rmpeer.</b> rmpeer does not hand the dead peer's space to whoever ran it (the
 * cause of Weave's duplicate owners). It adds the dead peer to the ring's grow-only set of removed
 * peers; each of the dead peer's ranges then belongs to its {@link Ring#heir heir}, the owner of
 * the address just below the range (skipping removed peers). The heir, and only the heir, rewrites
 * the range to itself (version + 1) when it learns of the removal. Two peers running rmpeer for
 * the same dead peer add the same element to the set: the outcome is identical.
 */
final class Takeover {

    private Takeover() {}

    /** A live heir for a graceful leave: a reachable peer that owns space (lowest name), else any reachable one. */
    static PeerName chooseHeir(Allocator a) {
        TreeSet<PeerName> owning = new TreeSet<>();
        TreeSet<PeerName> any = new TreeSet<>();
        Map<PeerName, Long> owners = a.ring.addressesByOwner();
        for (PeerName p : a.mesh.reachablePeers()) {
            if (p.equals(a.me) || a.ring.isRemoved(p)) {
                continue;
            }
            any.add(p);
            if (owners.containsKey(p)) {
                owning.add(p);
            }
        }
        return !owning.isEmpty() ? owning.first() : any.isEmpty() ? null : any.first();
    }

    static String describe(Allocator a, PeerName p) {
        String nick = a.mesh.nickname(p);
        return nick == null || nick.isEmpty() ? p.toString() : p + "(" + nick + ")";
    }

    /** Resolves a peer name or a unique nickname among the peers this one knows of. */
    static PeerName resolve(Allocator a, String name) {
        if (name == null || name.isBlank()) {
            throw IpamException.badRequest("rmpeer needs a peer name");
        }
        try {
            return PeerName.parse(name);
        } catch (IllegalArgumentException notAName) {
            List<PeerName> matches = new ArrayList<>();
            TreeSet<PeerName> known = new TreeSet<>(a.ring.addressesByOwner().keySet());
            known.addAll(a.mesh.reachablePeers());
            for (PeerName p : known) {
                if (name.equals(a.mesh.nickname(p))) {
                    matches.add(p);
                }
            }
            if (matches.size() == 1) {
                return matches.getFirst();
            }
            if (matches.size() > 1) {
                throw IpamException.badRequest("nickname \"" + name + "\" is ambiguous: " + matches + "; use the name");
            }
            throw IpamException.badRequest("\"" + name + "\" is neither a peer name (aa:bb:cc:dd:ee:ff) nor the"
                    + " nickname of a known peer");
        }
    }

    /** The rmpeer operation; returns the sentence for the operator. */
    static String remove(Allocator a, String name, boolean takeAll) {
        String down = a.unavailableReason();
        if (down != null) {
            throw IpamException.unavailable(down);
        }
        PeerName p = resolve(a, name);
        if (p.equals(a.me)) {
            throw IpamException.conflict(p + " is this peer: to hand its space away use leave (DELETE /peer)");
        }
        if (a.ring.isEmpty()) {
            throw IpamException.conflict("the ring is not seeded yet: there is no space to take from " + p);
        }
        if (a.mesh.isReachable(p)) {
            throw IpamException.conflict("peer " + describe(a, p) + " is reachable: rmpeer is only for dead peers."
                    + " Stop it first (or run leave on it)");
        }
        Ring before = a.ring;
        long owned = before.addressesByOwner().getOrDefault(p, 0L);
        if (owned == 0 && !before.isRemoved(p) && !before.seeds().contains(p)) {
            throw IpamException.notFound("peer " + p + " owns no space in the ring: nothing to remove");
        }
        Ring marked = before.withRemoved(p);
        boolean noLiveOwner = true;
        for (int k = 0; k < marked.size(); k++) {
            if (!marked.isRemoved(marked.entry(k).owner())) {
                noLiveOwner = false;
                break;
            }
        }
        String heirs;
        if (noLiveOwner && owned > 0) {
            if (!takeAll) {
                throw IpamException.conflict("every range would then belong to removed peers, so no live neighbour can"
                        + " inherit " + p + "'s " + owned + " addresses. To take them all here, repeat with take-all on"
                        + " exactly ONE peer (running it on two peers makes two owners)");
            }
            Ring r = marked;
            for (PeerName dead : marked.removed()) {
                r = r.transferAll(dead, a.me);
            }
            marked = r;
            heirs = "all of them go to this peer (" + a.me + ", take-all)";
        } else {
            heirs = heirs(marked, p);
        }
        a.setRing(marked.takeOverRemoved(a.me));
        a.turn.wantBroadcast();
        a.requests.retryWaiting();
        if (owned == 0) {
            return "removed peer " + p + "; it owned no space";
        }
        return "removed peer " + p + ": " + owned + " addresses; " + heirs
                + ". Each heir takes its part as soon as it learns of the removal";
    }

    private static String heirs(Ring marked, PeerName p) {
        Map<PeerName, List<String>> byHeir = new LinkedHashMap<>();
        for (int k = 0; k < marked.size(); k++) {
            if (marked.entry(k).owner().equals(p)) {
                PeerName h = marked.heir(k);
                byHeir.computeIfAbsent(h, x -> new ArrayList<>())
                        .add(Address.format(marked.entry(k).token()) + "-" + Address.format(marked.rangeEnd(k) - 1));
            }
        }
        StringBuilder b = new StringBuilder("heirs: ");
        boolean first = true;
        for (Map.Entry<PeerName, List<String>> e : byHeir.entrySet()) {
            if (!first) {
                b.append("; ");
            }
            first = false;
            b.append(e.getKey()).append(" takes ").append(String.join(", ", e.getValue()));
        }
        return b.toString();
    }
}
