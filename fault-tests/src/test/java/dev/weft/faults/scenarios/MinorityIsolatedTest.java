package dev.weft.faults.scenarios;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The {@code MinorityIsolated} scenario against real routers (see {@code dev.weft.faults.scenario.MinorityIsolated}). */
@ExtendWith(ScenarioHarness.class)
class MinorityIsolatedTest {

    @Test
    void minorityIsolated() {
        ScenarioHarness.run("MinorityIsolated");
    }
}
