package dev.weft.faults.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.faults.report.ScenarioRun;
import dev.weft.faults.runtime.cluster.WeftCheckout;
import dev.weft.faults.runtime.router.RouterCapabilities;
import dev.weft.faults.runtime.scenario.BrokenBuild;
import dev.weft.faults.runtime.scenario.RunConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The checkers can fail: a router built with a deliberate IPAM bug, attacked by the scenario that
 * should expose it, must be judged FAIL by the checker that guards the broken property. Full
 * suite only ({@code -Dweft.long=true}): each case builds a router copy (minutes) and runs a
 * scenario. The runs land in the report like every other (their names say "broken:").
 */
@ExtendWith(ScenarioHarness.class)
class BrokenBuildIsCaughtTest {

    @Test
    void donationOfUsedAddressesIsCaughtAsDuplicates() {
        caught(BrokenBuild.DONATE_USED);
    }

    @Test
    void acknowledgingWithoutTheStoreIsCaughtAsLostAllocations() {
        caught(BrokenBuild.ACK_WITHOUT_STORE);
    }

    private static void caught(BrokenBuild bug) {
        assumeTrue(Boolean.getBoolean("weft.long"), "builds broken routers: run with -Dweft.long=true");
        assumeTrue(ScenarioHarness.environmentReady(), "needs root and dockerd");
        Path checkout = WeftCheckout.root();
        assumeTrue(
                RouterCapabilities.of(checkout, Path.of(System.getProperty("java.home")))
                        .hasIpam(),
                "the router has no IPAM in `weft launch` yet: nothing to break");
        Path broken = bug.prepare(checkout);
        RunConfig config = new RunConfig(
                checkout,
                ScenarioHarness.reportDir(),
                1.0,
                Duration.ofSeconds(30),
                0,
                Long.getLong("weft.faults.seed", 1));
        ScenarioRun run = bug.demonstrate(config, broken);
        ScenarioHarness.record(run);
        assertThat(bug.caughtIn(run))
                .as("%s must FAIL against a router with %s; verdicts: %s", bug.checker(), bug.what(), run.verdicts())
                .isTrue();
    }
}
