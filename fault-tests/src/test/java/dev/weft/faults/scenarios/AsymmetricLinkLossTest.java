package dev.weft.faults.scenarios;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The {@code AsymmetricLinkLoss} scenario against real routers (see {@code dev.weft.faults.scenario.AsymmetricLinkLoss}). */
@ExtendWith(ScenarioHarness.class)
class AsymmetricLinkLossTest {

    @Test
    void asymmetricLinkLoss() {
        ScenarioHarness.run("AsymmetricLinkLoss");
    }
}
