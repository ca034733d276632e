package dev.weft.faults.scenarios;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The {@code DonationUnderChurn} scenario against real routers (see {@code dev.weft.faults.scenario.DonationUnderChurn}). */
@ExtendWith(ScenarioHarness.class)
class DonationUnderChurnTest {

    @Test
    void donationUnderChurn() {
        ScenarioHarness.run("DonationUnderChurn");
    }
}
