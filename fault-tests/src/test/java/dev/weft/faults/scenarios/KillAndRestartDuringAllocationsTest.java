package dev.weft.faults.scenarios;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The {@code KillAndRestartDuringAllocations} scenario against real routers (see {@code dev.weft.faults.scenario.KillAndRestartDuringAllocations}). */
@ExtendWith(ScenarioHarness.class)
class KillAndRestartDuringAllocationsTest {

    @Test
    void killAndRestartDuringAllocations() {
        ScenarioHarness.run("KillAndRestartDuringAllocations");
    }
}
