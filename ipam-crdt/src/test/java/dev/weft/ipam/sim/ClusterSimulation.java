package dev.weft.ipam.sim;

import dev.weft.gossip.api.PeerName;
import dev.weft.ipam.api.Cidr;
import dev.weft.ipam.api.ContainerId;
import dev.weft.ipam.api.InitMode;
import dev.weft.ipam.api.IpamConfig;
import dev.weft.ipam.internal.Allocator;
import dev.weft.ipam.internal.Entry;
import dev.weft.ipam.internal.Ring;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A randomized run of many IPAM peers: allocations and frees everywhere, partitions and heals, crashes
 * with and without the store, one peer dying for good and two peers running rmpeer for it at the same
 * moment. Then everything heals and the checker looks at the outcome. Deterministic per seed.
 */
public final class ClusterSimulation {

    /** What a run found. */
    public record Result(
            long seed,
            int peers,
            long acknowledged,
            long duplicates,
            long lost,
            long deadOwnedAddresses,
            boolean ringsAgree,
            long refusedUpdates,
            double convergeSimulatedSeconds,
            int ringTokens,
            List<String> problems) {
        public String line() {
            return "peers=" + peers + " allocations=" + acknowledged + " duplicates=" + duplicates + " lost=" + lost
                    + " converge_simulated_s=" + String.format(java.util.Locale.ROOT, "%.1f", convergeSimulatedSeconds);
        }
    }

    private record Held(PeerName peer, Cidr address) {}

    private final long seed;
    private final int n;
    private final Duration length;
    private final SimCluster c;
    private final Map<ContainerId, Held> acked = new HashMap<>();
    private final Set<ContainerId> freeing = new HashSet<>();
    private long totalAcked;
    private int nextId;

    public ClusterSimulation(long seed, int peers, Duration length) {
        this.seed = seed;
        this.n = peers;
        this.length = length;
        this.c = new SimCluster(seed, IpamConfig.of(Cidr.parse("10.32.0.0/21"), null, new InitMode.Consensus(peers)));
        for (int i = 1; i <= peers; i++) {
            c.add(i);
        }
    }

    private List<SimCluster.Peer> alive() {
        List<SimCluster.Peer> out = new ArrayList<>();
        for (SimCluster.Peer p : c.peers.values()) {
            if (p.alive) {
                out.add(p);
            }
        }
        return out;
    }

    private void allocateSomewhere() {
        List<SimCluster.Peer> live = alive();
        // skewed load: a tenth of the peers get most allocations, so they run out and ask for space
        int hot = Math.max(1, live.size() / 10);
        SimCluster.Peer p = live.get(
                c.world.random.nextInt(4) != 0 ? c.world.random.nextInt(hot) : c.world.random.nextInt(live.size()));
        ContainerId id = ContainerId.of("c" + nextId++);
        int inc = p.incarnation;
        p.node.allocate(id, Optional.empty(), Duration.ofSeconds(60)).thenAccept(a -> {
            if (p.incarnation == inc) {
                acked.put(id, new Held(p.name, a));
                totalAcked++;
            }
        });
    }

    private void freeSomething() {
        if (acked.isEmpty()) {
            return;
        }
        List<ContainerId> ids = new ArrayList<>(acked.keySet());
        ContainerId id = ids.get(c.world.random.nextInt(ids.size()));
        Held h = acked.get(id);
        SimCluster.Peer p = c.peer(h.peer());
        if (!p.alive || freeing.contains(id)) {
            return;
        }
        freeing.add(id);
        p.node.free(id).thenAccept(list -> {
            acked.remove(id);
            freeing.remove(id);
        });
    }

    /** The node is gone with its disk: its containers went with it. */
    private void forgetPeer(PeerName peer) {
        acked.values().removeIf(h -> h.peer().equals(peer));
        freeing.removeIf(id -> !acked.containsKey(id));
    }

    public Result run() {
        c.bootAll();
        long step = Duration.ofMillis(100).toNanos();
        long end = length.toNanos();
        PeerName permanentlyDead = null;
        long killAt = end * 2 / 5;
        long rmpeerAt = killAt + Duration.ofSeconds(90).toNanos();
        Map<PeerName, Long> restartAt = new HashMap<>();
        Map<PeerName, Boolean> restartWithStore = new HashMap<>();
        long nextFault = Duration.ofSeconds(30).toNanos();
        List<String> problems = new ArrayList<>();
        for (long t = 0; t < end; t += step) {
            // workload: a few requests per 100 ms across the cluster
            int ops = 1 + c.world.random.nextInt(4);
            for (int i = 0; i < ops; i++) {
                if (c.world.random.nextInt(100) < 56) {
                    allocateSomewhere();
                } else {
                    freeSomething();
                }
            }
            // restarts that are due
            for (var e : new ArrayList<>(restartAt.entrySet())) {
                if (e.getValue() <= t) {
                    restartAt.remove(e.getKey());
                    c.peer(e.getKey()).boot(restartWithStore.get(e.getKey()));
                }
            }
            boolean quiet = t >= killAt - Duration.ofSeconds(5).toNanos()
                    && t < rmpeerAt + Duration.ofSeconds(5).toNanos();
            if (t >= nextFault && !quiet) {
                nextFault =
                        t + Duration.ofSeconds(10 + c.world.random.nextInt(30)).toNanos();
                switch (c.world.random.nextInt(3)) {
                    case 0 -> c.partition(2 + c.world.random.nextInt(2));
                    case 1 -> c.heal();
                    default -> {
                        List<SimCluster.Peer> live = alive();
                        SimCluster.Peer victim = live.get(c.world.random.nextInt(live.size()));
                        if (!victim.name.equals(permanentlyDead) && live.size() > n / 2) {
                            boolean keepStore = c.world.random.nextInt(4) != 0;
                            victim.crash(!keepStore);
                            if (!keepStore) {
                                forgetPeer(victim.name);
                            }
                            restartAt.put(
                                    victim.name,
                                    t
                                            + Duration.ofSeconds(5 + c.world.random.nextInt(15))
                                                    .toNanos());
                            restartWithStore.put(victim.name, keepStore);
                        }
                    }
                }
            }
            if (t == killAt) {
                // rmpeer's precondition: the dead peer's last state has spread (heal, then wait)
                c.heal();
                List<SimCluster.Peer> live = alive();
                SimCluster.Peer victim = live.get(c.world.random.nextInt(live.size()));
                permanentlyDead = victim.name;
                restartAt.remove(victim.name);
                victim.crash(false);
                forgetPeer(victim.name);
            }
            if (t == rmpeerAt && permanentlyDead != null) {
                List<SimCluster.Peer> live = alive();
                SimCluster.Peer a = live.get(c.world.random.nextInt(live.size()));
                SimCluster.Peer b = live.get(c.world.random.nextInt(live.size()));
                String dead = permanentlyDead.toString();
                a.node.removePeer(dead, false).whenComplete((m, e) -> {
                    if (e != null) {
                        problems.add("rmpeer on " + a.name + " failed: " + e.getMessage());
                    }
                });
                b.node.removePeer(dead, false).whenComplete((m, e) -> {
                    if (e != null && !e.getMessage().contains("no space")) {
                        problems.add("rmpeer on " + b.name + " failed: " + e.getMessage());
                    }
                });
            }
            c.world.advance(Duration.ofNanos(step));
        }
        // the end: restart everyone pending, heal, and let it settle
        for (PeerName p : restartAt.keySet()) {
            c.peer(p).boot(restartWithStore.get(p));
        }
        c.heal();
        long healedAt = c.world.nowNanos();
        boolean settled = c.world.advanceUntil(this::converged, Duration.ofSeconds(1), Duration.ofMinutes(10));
        double converge = (c.world.nowNanos() - healedAt) / 1e9;
        if (!settled) {
            problems.add("rings did not converge within 10 simulated minutes after the heal");
        }
        c.world.advance(Duration.ofSeconds(5)); // let the last acknowledgements of frees arrive
        return check(permanentlyDead, converge, settled, problems);
    }

    private boolean converged() {
        Ring ref = null;
        for (SimCluster.Peer p : alive()) {
            Ring r = p.node.allocator().currentRing();
            if (ref == null) {
                ref = r;
            } else if (!sameOwnership(ref, r)) {
                return false;
            }
        }
        if (ref == null) {
            return true;
        }
        for (Entry e : ref.entries()) {
            if (ref.isRemoved(e.owner()) || !c.peer(e.owner()).alive) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameOwnership(Ring a, Ring b) {
        if (a.size() != b.size() || !a.removed().equals(b.removed())) {
            return false;
        }
        for (int k = 0; k < a.size(); k++) {
            Entry x = a.entry(k);
            Entry y = b.entry(k);
            if (x.token() != y.token() || !x.owner().equals(y.owner()) || x.version() != y.version()) {
                return false;
            }
        }
        return true;
    }

    private Result check(PeerName dead, double converge, boolean settled, List<String> problems) {
        Map<Long, String> holders = new HashMap<>();
        long duplicates = 0;
        long refused = 0;
        for (SimCluster.Peer p : alive()) {
            Allocator a = p.node.allocator();
            refused += a.statusNow().refusedUpdates();
            for (var e : a.allocations().all().entrySet()) {
                for (Cidr addr : e.getValue()) {
                    String who = p.name + "/" + e.getKey();
                    String prev = holders.put(addr.address().value(), who);
                    if (prev != null) {
                        duplicates++;
                        if (problems.size() < 20) {
                            problems.add("duplicate " + addr + ": " + prev + " and " + who);
                        }
                    }
                }
            }
        }
        long lost = 0;
        for (var e : acked.entrySet()) {
            if (freeing.contains(e.getKey())) {
                continue; // a free was asked for; it may or may not have happened
            }
            Held h = e.getValue();
            SimCluster.Peer p = c.peer(h.peer());
            if (!p.alive
                    || !e.getKey()
                            .equals(p.node.allocator()
                                    .allocations()
                                    .holder(h.address().address().value()))) {
                lost++;
                if (problems.size() < 20) {
                    problems.add("lost acknowledged " + h.address() + " of " + e.getKey() + " on " + h.peer());
                }
            }
        }
        long deadOwned = 0;
        Ring ref = alive().getFirst().node.allocator().currentRing();
        for (int k = 0; k < ref.size(); k++) {
            PeerName o = ref.entry(k).owner();
            if (!c.peer(o).alive || ref.isRemoved(o)) {
                deadOwned += ref.rangeEnd(k) - ref.entry(k).token();
            }
        }
        if (dead != null && !ref.isRemoved(dead)) {
            problems.add("the dead peer " + dead + " is not marked removed");
        }
        return new Result(
                seed, n, totalAcked, duplicates, lost, deadOwned, settled, refused, converge, ref.size(), problems);
    }
}
