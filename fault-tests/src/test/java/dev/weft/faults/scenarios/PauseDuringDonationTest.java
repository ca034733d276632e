package dev.weft.faults.scenarios;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The {@code PauseDuringDonation} scenario against real routers (see {@code dev.weft.faults.scenario.PauseDuringDonation}). */
@ExtendWith(ScenarioHarness.class)
class PauseDuringDonationTest {

    @Test
    void pauseDuringDonation() {
        ScenarioHarness.run("PauseDuringDonation");
    }
}
