package dev.weft.faults.scenarios;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The {@code RemoveDeadNodeWithRmpeer} scenario against real routers (see {@code dev.weft.faults.scenario.RemoveDeadNodeWithRmpeer}). */
@ExtendWith(ScenarioHarness.class)
class RemoveDeadNodeWithRmpeerTest {

    @Test
    void removeDeadNodeWithRmpeer() {
        ScenarioHarness.run("RemoveDeadNodeWithRmpeer");
    }
}
