package dev.weft.faults.scenarios;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The {@code FlappingLink} scenario against real routers (see {@code dev.weft.faults.scenario.FlappingLink}). */
@ExtendWith(ScenarioHarness.class)
class FlappingLinkTest {

    @Test
    void flappingLink() {
        ScenarioHarness.run("FlappingLink");
    }
}
