package dev.weft.ipam.sim;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The cluster simulation on the gossip module's simulator: real mesh peers (30 by default, 100 with
 * -Dweft.long=true) (connections,
 * topology, routes, broadcast trees, periodic gossip) carrying the IPAM channel, with partitions,
 * crashes with and without the store, and concurrent rmpeer. {@code -Dweft.long=true} runs longer
 * and more seeds; {@code -Dweft.ipam.seed=N} replays one.
 */
class MeshClusterSimulationTest {

    @Test
    void meshPeersKeepEveryAddressSingleAndEveryAckedAllocation() {
        boolean longRun = Boolean.getBoolean("weft.long");
        long first = Long.getLong("weft.ipam.seed", 1L);
        int seeds = Integer.getInteger("weft.ipam.seeds", longRun ? 3 : 1);
        // 100 mesh peers cost ~2 CPU-minutes for 3 simulated ones: the default (CI) run takes 30
        // peers; -Dweft.long=true and bench/ipam-sim run 100.
        int peers = Integer.getInteger("weft.ipam.peers", longRun ? 100 : 30);
        Duration length = Duration.ofMinutes(Integer.getInteger("weft.ipam.minutes", longRun ? 10 : 2));
        for (long seed = first; seed < first + seeds; seed++) {
            var backend = new MeshSimCluster(seed, peers, ClusterSimulation.config(peers));
            // one seeded range per peer plus two tokens per donation: more than peers + 20 means space moved
            new ClusterSimulation(seed, peers, length, backend).run().assertHeld("IPAM-MESH-SIM", 500, peers + 20);
        }
    }
}
