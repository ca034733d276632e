package dev.weft.ipam.sim;

import static org.assertj.core.api.Assertions.assertThat;

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

        /**
         * Prints the run (the first line prefixed with {@code tag}, for bench/ipam-sim) and asserts what
         * every run must hold: no problem found, no address twice, no acknowledged allocation lost,
         * no space left with dead or removed peers, agreeing rings, no refused ring update; and that
         * the workload did what it is for: more than {@code minAcknowledged} allocations and more
         * than {@code minRingTokens} ring tokens (space donated between peers).
         */
        void assertHeld(String tag, long minAcknowledged, int minRingTokens) {
            System.out.println(tag + " " + line());
            System.out.println("seed=" + seed + " " + line() + " refused=" + refusedUpdates + " tokens=" + ringTokens
                    + " problems=" + problems);
            assertThat(problems).as("seed %d", seed).isEmpty();
            assertThat(duplicates).as("seed %d", seed).isZero();
            assertThat(lost).as("seed %d", seed).isZero();
            assertThat(deadOwnedAddresses)
                    .as("seed %d: space owned by dead or removed peers", seed)
                    .isZero();
            assertThat(ringsAgree).as("seed %d", seed).isTrue();
            assertThat(refusedUpdates)
                    .as("seed %d: refused (conflicting) ring updates", seed)
                    .isZero();
            assertThat(acknowledged)
                    .as("seed %d: the workload did allocate", seed)
                    .isGreaterThan(minAcknowledged);
            assertThat(ringTokens).as("seed %d: donations happened", seed).isGreaterThan(minRingTokens);
        }
    }

    private record Held(PeerName peer, Cidr address) {}

    private final long seed;
    private final int n;
    private final Duration length;
    private final IpamSimBackend c;
    private final Map<ContainerId, Held> acked = new HashMap<>();
    private final Set<ContainerId> freeing = new HashSet<>();
    private long totalAcked;
    private int nextId;

    /**
     * The configuration every simulated peer runs: about 20 addresses per peer (a /21 for 100), so
     * that the busy peers run out and ask the others for space.
     */
    static IpamConfig config(int peers) {
        int bits = 64 - Long.numberOfLeadingZeros(peers * 20L - 1);
        int prefix = Math.max(8, Math.min(24, 32 - bits));
        return IpamConfig.of(Cidr.parse("10.32.0.0/" + prefix), null, new InitMode.Consensus(peers));
    }

    /** On the lightweight direct network. */
    public ClusterSimulation(long seed, int peers, Duration length) {
        this(seed, peers, length, lightweight(seed, peers));
    }

    ClusterSimulation(long seed, int peers, Duration length, IpamSimBackend backend) {
        this.seed = seed;
        this.n = peers;
        this.length = length;
        this.c = backend;
    }

    private static IpamSimBackend lightweight(long seed, int peers) {
        SimCluster s = new SimCluster(seed, config(peers));
        for (int i = 1; i <= peers; i++) {
            s.add(i);
        }
        s.bootAll();
        return s;
    }

    private List<PeerName> alive() {
        List<PeerName> out = new ArrayList<>();
        for (PeerName p : c.names()) {
            if (c.alive(p)) {
                out.add(p);
            }
        }
        return out;
    }

    private void allocateSomewhere() {
        List<PeerName> live = alive();
        // skewed load: a tenth of the peers get most allocations, so they run out and ask for space
        int hot = Math.max(1, live.size() / 10);
        PeerName p = live.get(
                c.random().nextInt(4) != 0
                        ? c.random().nextInt(hot)
                        : c.random().nextInt(live.size()));
        ContainerId id = ContainerId.of("c" + nextId++);
        int inc = c.incarnation(p);
        c.node(p).allocate(id, Optional.empty(), Duration.ofSeconds(60)).thenAccept(a -> {
            if (c.incarnation(p) == inc) {
                acked.put(id, new Held(p, a));
                totalAcked++;
            }
        });
    }

    private void freeSomething() {
        if (acked.isEmpty()) {
            return;
        }
        List<ContainerId> ids = new ArrayList<>(acked.keySet());
        ContainerId id = ids.get(c.random().nextInt(ids.size()));
        Held h = acked.get(id);
        if (!c.alive(h.peer()) || freeing.contains(id)) {
            return;
        }
        freeing.add(id);
        c.node(h.peer()).free(id).thenAccept(list -> {
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
        long step = Duration.ofMillis(100).toNanos();
        long end = length.toNanos();
        PeerName permanentlyDead = null;
        long killAt = end * 2 / 5 / step * step;
        // rmpeer once the dead peer's last state has spread: 90 s (3 gossip intervals), less in short runs
        long rmpeerAt = killAt + Math.min(Duration.ofSeconds(90).toNanos(), end / 5) / step * step;
        long finalSplit = Math.max(
                        end - Duration.ofSeconds(60).toNanos(),
                        rmpeerAt + Duration.ofSeconds(10).toNanos())
                / step
                * step;
        Map<PeerName, Long> restartAt = new HashMap<>();
        Map<PeerName, Boolean> restartWithStore = new HashMap<>();
        long nextFault = Duration.ofSeconds(30).toNanos();
        List<String> problems = new ArrayList<>();
        for (long t = 0; t < end; t += step) {
            // workload: a few requests per 100 ms across the cluster
            int ops = 1 + c.random().nextInt(4);
            for (int i = 0; i < ops; i++) {
                if (c.random().nextInt(100) < 56) {
                    allocateSomewhere();
                } else {
                    freeSomething();
                }
            }
            // restarts that are due
            for (var e : new ArrayList<>(restartAt.entrySet())) {
                if (e.getValue() <= t) {
                    restartAt.remove(e.getKey());
                    c.restart(e.getKey());
                }
            }
            boolean quiet = t >= killAt - Duration.ofSeconds(5).toNanos()
                    && t < rmpeerAt + Duration.ofSeconds(5).toNanos();
            if (t == finalSplit) {
                // the last minute runs split in three, so the final heal has real work to converge
                c.partition(3);
                nextFault = end;
            }
            if (t >= nextFault && !quiet) {
                nextFault = t + Duration.ofSeconds(10 + c.random().nextInt(30)).toNanos();
                switch (c.random().nextInt(3)) {
                    case 0 -> c.partition(2 + c.random().nextInt(2));
                    case 1 -> c.heal();
                    default -> {
                        List<PeerName> live = alive();
                        PeerName victim = live.get(c.random().nextInt(live.size()));
                        if (!victim.equals(permanentlyDead) && live.size() > n / 2) {
                            boolean keepStore = c.random().nextInt(4) != 0;
                            c.crash(victim, !keepStore);
                            if (!keepStore) {
                                forgetPeer(victim);
                            }
                            restartAt.put(
                                    victim,
                                    t
                                            + Duration.ofSeconds(5 + c.random().nextInt(15))
                                                    .toNanos());
                            restartWithStore.put(victim, keepStore);
                        }
                    }
                }
            }
            if (t == killAt) {
                // rmpeer's precondition: the dead peer's last state has spread (heal, then wait)
                c.heal();
                List<PeerName> live = alive();
                PeerName victim = live.get(c.random().nextInt(live.size()));
                permanentlyDead = victim;
                restartAt.remove(victim);
                c.crash(victim, false);
                forgetPeer(victim);
            }
            if (t == rmpeerAt && permanentlyDead != null) {
                List<PeerName> live = alive();
                PeerName a = live.get(c.random().nextInt(live.size()));
                PeerName b = live.get(c.random().nextInt(live.size()));
                String dead = permanentlyDead.toString();
                c.node(a).removePeer(dead, false).whenComplete((m, e) -> {
                    if (e != null) {
                        problems.add("rmpeer on " + a + " failed: " + e.getMessage());
                    }
                });
                c.node(b).removePeer(dead, false).whenComplete((m, e) -> {
                    if (e != null && !e.getMessage().contains("no space")) {
                        problems.add("rmpeer on " + b + " failed: " + e.getMessage());
                    }
                });
            }
            c.advance(Duration.ofNanos(step));
        }
        // the end: restart everyone pending, heal, and let it settle
        for (PeerName p : restartAt.keySet()) {
            c.restart(p);
        }
        c.heal();
        long healedAt = c.nowNanos();
        boolean settled = c.advanceUntil(this::converged, Duration.ofSeconds(1), Duration.ofMinutes(10));
        double converge = (c.nowNanos() - healedAt) / 1e9;
        if (!settled) {
            problems.add("rings did not converge within 10 simulated minutes after the heal");
        }
        c.advance(Duration.ofSeconds(5)); // let the last acknowledgements of frees arrive
        return check(permanentlyDead, converge, settled, problems);
    }

    private boolean converged() {
        Ring ref = null;
        for (PeerName p : alive()) {
            Ring r = c.node(p).allocator().currentRing();
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
            if (ref.isRemoved(e.owner()) || !c.alive(e.owner())) {
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
        for (PeerName p : alive()) {
            Allocator a = c.node(p).allocator();
            refused += a.statusNow().refusedUpdates();
            for (var e : a.allocations().all().entrySet()) {
                for (Cidr addr : e.getValue()) {
                    String who = p + "/" + e.getKey();
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
            if (!c.alive(h.peer())
                    || !e.getKey()
                            .equals(c.node(h.peer())
                                    .allocator()
                                    .allocations()
                                    .holder(h.address().address().value()))) {
                lost++;
                if (problems.size() < 20) {
                    problems.add("lost acknowledged " + h.address() + " of " + e.getKey() + " on " + h.peer());
                }
            }
        }
        long deadOwned = 0;
        Ring ref = c.node(alive().getFirst()).allocator().currentRing();
        for (int k = 0; k < ref.size(); k++) {
            PeerName o = ref.entry(k).owner();
            if (!c.alive(o) || ref.isRemoved(o)) {
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
