package dev.weft.faults.scenarios;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The {@code SymmetricPartitionThenHeal} scenario against real routers (see {@code dev.weft.faults.scenario.SymmetricPartitionThenHeal}). */
@ExtendWith(ScenarioHarness.class)
class SymmetricPartitionThenHealTest {

    @Test
    void symmetricPartitionThenHeal() {
        ScenarioHarness.run("SymmetricPartitionThenHeal");
    }
}
