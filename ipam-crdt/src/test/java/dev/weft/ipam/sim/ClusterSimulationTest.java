package dev.weft.ipam.sim;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * 100 simulated peers (see {@link ClusterSimulation}). The default run is short enough for CI;
 * {@code -Dweft.long=true} runs several seeds for longer. A failure prints the seed; rerun one with
 * {@code -Dweft.ipam.seed=N}.
 */
class ClusterSimulationTest {

    @Test
    void hundredPeersUnderPartitionsCrashesAndConcurrentRmpeerKeepEveryAddressSingleAndEveryAckedAllocation() {
        boolean longRun = Boolean.getBoolean("weft.long");
        long first = Long.getLong("weft.ipam.seed", 1L);
        int seeds = Integer.getInteger("weft.ipam.seeds", longRun ? 5 : 1);
        int peers = Integer.getInteger("weft.ipam.peers", 100);
        Duration length = Duration.ofMinutes(Integer.getInteger("weft.ipam.minutes", longRun ? 20 : 5));
        for (long seed = first; seed < first + seeds; seed++) {
            // 100 seeded ranges plus two tokens per donation: more than 150 means space moved
            new ClusterSimulation(seed, peers, length).run().assertHeld("IPAM-SIM", 1000, 150);
        }
    }
}
