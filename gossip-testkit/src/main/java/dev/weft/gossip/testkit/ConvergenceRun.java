package dev.weft.gossip.testkit;

import dev.weft.gossip.api.MeshConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The scenario behind {@code bench/gossip-convergence}: {@code n} routers start within {@code
 * spread} of virtual time, each given {@code fanout} random earlier routers as targets (like {@code
 * weft launch --peers a,b,c}); discovery does the rest. Runs until every router knows every
 * router's current topology record, and reports virtual time, wall time and messages.
 */
public final class ConvergenceRun {

    /** The outcome. */
    public record Result(
            int peers,
            boolean converged,
            Duration simulated,
            Duration wall,
            long messages,
            long bytes,
            long events,
            long seed,
            Mesh mesh) {

        /** The benchmark's last line. */
        public String line() {
            return String.format(
                    java.util.Locale.ROOT,
                    "%s peers=%d simulated_s=%.3f wall_s=%.3f messages=%d",
                    converged ? "converged" : "NOT-converged",
                    peers,
                    simulated.toNanos() / 1e9,
                    wall.toNanos() / 1e9,
                    messages);
        }
    }

    /**
     * What the mesh looked like at the end: connections per peer (the most, and the mean), and over
     * the whole run the connections registered, those refused for a connection limit, and the
     * versions of their own records the peers announced.
     */
    public record Mesh(int maxConnections, double meanConnections, long added, long refused, long announced) {

        /** One line for the benchmark's details. */
        public String line() {
            return String.format(
                    java.util.Locale.ROOT,
                    "mesh max_connections=%d mean_connections=%.1f connections_added=%d refused_for_limit=%d"
                            + " records_announced=%d",
                    maxConnections,
                    meanConnections,
                    added,
                    refused,
                    announced);
        }

        /** Counts over the live peers of {@code sim}. */
        public static Mesh of(Simulation sim) {
            int max = 0;
            long sum = 0;
            long added = 0;
            long refused = 0;
            long announced = 0;
            List<SimPeer> live = sim.livePeers();
            for (SimPeer p : live) {
                int c = p.localMesh().connectionStates().size();
                max = Math.max(max, c);
                sum += c;
                var k = p.localMesh().counters();
                added += k.connectionsAdded();
                refused += k.refusedForLimit();
                announced += k.recordsAnnounced();
            }
            return new Mesh(max, live.isEmpty() ? 0 : (double) sum / live.size(), added, refused, announced);
        }
    }

    private ConvergenceRun() {}

    /**
     * Runs the scenario.
     *
     * @param wallClock reads real time in nanoseconds (the caller's; this package may not)
     */
    public static Result run(
            long seed,
            int n,
            int fanout,
            Duration spread,
            Duration limit,
            UnaryOperator<MeshConfig> config,
            java.util.function.LongSupplier wallClock) {
        long t0 = wallClock.getAsLong();
        Simulation sim = Simulation.withSeed(seed);
        join(sim, n, fanout, spread, config);
        boolean ok = sim.runUntil(sim::topologyConverged, limit, Duration.ofMillis(100));
        long t1 = wallClock.getAsLong();
        return new Result(
                n,
                ok,
                sim.elapsed(),
                Duration.ofNanos(t1 - t0),
                sim.messagesSent(),
                sim.bytesSent(),
                sim.eventsExecuted(),
                seed,
                Mesh.of(sim));
    }

    /**
     * Starts the scenario's {@code n} peers in {@code sim} (advancing its clock over {@code
     * spread}); randomness derives from the simulation's seed.
     */
    public static List<SimPeer> join(
            Simulation sim, int n, int fanout, Duration spread, UnaryOperator<MeshConfig> config) {
        List<SimPeer> peers = new ArrayList<>(n);
        java.util.SplittableRandom r = new java.util.SplittableRandom(sim.seed() ^ 0x5DEECE66DL);
        long[] starts = new long[n];
        for (int i = 0; i < n; i++) {
            starts[i] = spread.isZero() ? 0 : r.nextLong(spread.toNanos());
        }
        java.util.Arrays.sort(starts);
        for (int i = 0; i < n; i++) {
            sim.advance(Duration.ofNanos(Math.max(0, starts[i] - sim.elapsed().toNanos())));
            SimPeer p = sim.addPeer(randomName(r, i), config);
            peers.add(p);
            for (int k = 0; k < Math.min(fanout, i); k++) {
                p.connectTo(peers.get(r.nextInt(i)));
            }
        }
        return peers;
    }

    private static dev.weft.gossip.api.PeerName randomName(java.util.SplittableRandom r, int i) {
        // Distinct by construction: the index in the low bits, random high bits.
        long v = ((r.nextLong() & 0xFEFF_FF00_0000L) | 0x0200_0000_0000L) | (i & 0xFF_FFFFL);
        return dev.weft.gossip.api.PeerName.of(v);
    }
}
