package dev.weft.faults.scenarios;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The {@code PacketLossTenPercent} scenario against real routers (see {@code dev.weft.faults.scenario.PacketLossTenPercent}). */
@ExtendWith(ScenarioHarness.class)
class PacketLossTenPercentTest {

    @Test
    void packetLossTenPercent() {
        ScenarioHarness.run("PacketLossTenPercent");
    }
}
