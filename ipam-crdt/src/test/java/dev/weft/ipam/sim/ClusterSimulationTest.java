package dev.weft.ipam.sim;

import static org.assertj.core.api.Assertions.assertThat;

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
            ClusterSimulation.Result r = new ClusterSimulation(seed, peers, length).run();
            System.out.println("IPAM-SIM " + r.line());
            System.out.println("seed=" + seed + " " + r.line() + " refused=" + r.refusedUpdates() + " tokens="
                    + r.ringTokens() + " problems=" + r.problems());
            assertThat(r.problems()).as("seed %d", seed).isEmpty();
            assertThat(r.duplicates()).as("seed %d", seed).isZero();
            assertThat(r.lost()).as("seed %d", seed).isZero();
            assertThat(r.deadOwnedAddresses())
                    .as("seed %d: space owned by dead or removed peers", seed)
                    .isZero();
            assertThat(r.ringsAgree()).as("seed %d", seed).isTrue();
            assertThat(r.refusedUpdates())
                    .as("seed %d: refused (conflicting) ring updates", seed)
                    .isZero();
            assertThat(r.acknowledged())
                    .as("seed %d: the workload did allocate", seed)
                    .isGreaterThan(1000);
            // 100 seeded ranges plus two tokens per donation: space moved between peers
            assertThat(r.ringTokens()).as("seed %d: donations happened", seed).isGreaterThan(150);
        }
    }
}
