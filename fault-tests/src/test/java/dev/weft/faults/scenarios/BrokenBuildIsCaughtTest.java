package dev.weft.faults.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.faults.report.ScenarioRun;
import dev.weft.faults.runtime.scenario.BrokenBuild;
import dev.weft.faults.runtime.scenario.RunConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The checkers can fail: a router built with a deliberate IPAM bug, attacked by the scenario that
 * should expose it, must be judged FAIL by the checker that guards the broken property. Each case
 * copies the built checkout and recompiles one mutated class into the copy's router (seconds, see
 * {@link BrokenBuild#prepare}), then runs the scenario against it.
 *
 * <p>Every build (CI) runs the lost-allocation case at half length on 3 nodes; {@code
 * -Dweft.long=true} runs both at full length on 5. The runs land in the report like every other (their names say "broken:").
 */
@ExtendWith(ScenarioHarness.class)
class BrokenBuildIsCaughtTest {

    @Test
    void acknowledgingWithoutTheStoreIsCaughtAsLostAllocations() {
        caught(BrokenBuild.ACK_WITHOUT_STORE, true);
    }

    @Test
    void donationOfUsedAddressesIsCaughtAsDuplicates() {
        caught(BrokenBuild.DONATE_USED, false);
    }

    private static void caught(BrokenBuild bug, boolean inSmoke) {
        boolean full = Boolean.getBoolean("weft.long");
        assumeTrue(inSmoke || full, "builds a second broken router: run with -Dweft.long=true");
        assumeTrue(ScenarioHarness.environmentReady(), "needs root and dockerd");
        ScenarioHarness.requireRouterFeatures();
        Path checkout = ScenarioHarness.weftHome();
        Path broken = bug.prepare(checkout);
        // The short form (every build) runs on 3 nodes with a 15 s heal bound: it only has to show
        // the broken property, and CI's time is shared.
        RunConfig config = new RunConfig(
                checkout,
                ScenarioHarness.reportDir(),
                Double.parseDouble(System.getProperty("weft.faults.scale", full ? "1.0" : "0.5")),
                Duration.ofSeconds(full ? 30 : 15),
                full ? 0 : 3,
                Long.getLong("weft.faults.seed", 1));
        ScenarioRun run = bug.demonstrate(config, broken);
        ScenarioHarness.record(run);
        assertThat(bug.caughtIn(run))
                .as("%s must FAIL against a router with %s; verdicts: %s", bug.checker(), bug.what(), run.verdicts())
                .isTrue();
    }
}
