package dev.weft.faults.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.faults.check.Verdict;
import dev.weft.faults.report.ReportWriter;
import dev.weft.faults.report.ScenarioRun;
import dev.weft.faults.report.Summary;
import dev.weft.faults.runtime.cluster.WeftCheckout;
import dev.weft.faults.runtime.router.RouterCapabilities;
import dev.weft.faults.runtime.scenario.RunConfig;
import dev.weft.faults.runtime.scenario.ScenarioRunner;
import dev.weft.faults.scenario.Scenarios;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a named scenario from a test and gathers every run of the test JVM into one report,
 * written when the last test finishes ({@code target/faults-report}, or {@code
 * -Dweft.faults.report=DIR}).
 *
 * <p>The smoke scenarios ({@link Scenarios#SMOKE}) run in every build at half length; the others
 * run with {@code -Dweft.long=true} at full length ({@code -Dweft.faults.scale} overrides).
 */
public final class ScenarioHarness implements BeforeAllCallback {

    private static final List<ScenarioRun> RUNS = new ArrayList<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot()
                .getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(ScenarioHarness.class, k -> new ReportAtEnd(), ReportAtEnd.class);
    }

    /** Runs {@code name} once (or {@code -Dweft.faults.runs} times) and fails if any checker failed. */
    static void run(String name) {
        boolean smoke = Scenarios.SMOKE.contains(name);
        assumeTrue(
                smoke || Boolean.getBoolean("weft.long"),
                name + " is in the full suite: run with -Dweft.long=true (or fault-tests/run)");
        assumeTrue(environmentReady(), "needs root and dockerd (scripts/deps installs docker.io)");
        requireRouterFeatures();
        double scale = Double.parseDouble(
                System.getProperty("weft.faults.scale", smoke && !Boolean.getBoolean("weft.long") ? "0.5" : "1.0"));
        long seed = Long.getLong("weft.faults.seed", System.nanoTime() & 0xffffffL);
        int runs = Integer.getInteger("weft.faults.runs", 1);
        RunConfig config = new RunConfig(
                weftHome(),
                reportDir(),
                scale,
                Duration.ofSeconds(30),
                Integer.getInteger("weft.faults.nodes", 0),
                seed);
        ScenarioRunner runner = new ScenarioRunner(config);
        for (int r = 1; r <= runs; r++) {
            ScenarioRun result = runner.run(Scenarios.byName(name), r, seed + r - 1);
            record(result);
            assertThat(result.verdicts())
                    .as(name + " #" + r + " (seed " + result.seed() + ", history "
                            + reportDir().resolve(result.historyFile()) + ")")
                    .noneMatch(Verdict::failed);
            assertThat(result.notes())
                    .as("the run must complete")
                    .noneMatch(n -> n.startsWith("the run stopped early"));
        }
    }

    /** True when running as root with dockerd installed. */
    static boolean environmentReady() {
        return ProcessHandle.current().info().user().orElse("").equals("root")
                && Files.isExecutable(Path.of("/usr/sbin/dockerd"));
    }

    /** Adds a run to the report written at the end. */
    static void record(ScenarioRun run) {
        synchronized (RUNS) {
            RUNS.add(run);
        }
    }

    /**
     * Fails (never skips) unless the built router offers what every scenario attacks: {@code weft
     * launch --password} with IPAM, and {@code weft rmpeer}. The data plane and CNI are used when
     * the router offers them; without them the reachability checker says UNKNOWN.
     */
    static RouterCapabilities requireRouterFeatures() {
        RouterCapabilities caps = RouterCapabilities.of(weftHome(), Path.of(System.getProperty("java.home")));
        assertThat(caps.canLaunch())
                .as("the router built in %s must `weft launch --password` (commands: %s)", weftHome(), caps.commands())
                .isTrue();
        assertThat(caps.hasIpam())
                .as("`weft launch` must take --ipalloc-range and --ipalloc-init (flags: %s)", caps.launchFlags())
                .isTrue();
        assertThat(caps.hasRmpeer())
                .as("the router must have `weft rmpeer` (commands: %s)", caps.commands())
                .isTrue();
        return caps;
    }

    /** The checkout whose router the nodes run: this one, or {@code -Dweft.faults.home=DIR}. */
    static Path weftHome() {
        String h = System.getProperty("weft.faults.home", "");
        return h.isBlank() ? WeftCheckout.root() : Path.of(h).toAbsolutePath();
    }

    static Path reportDir() {
        return Path.of(System.getProperty("weft.faults.report", "target/faults-report"))
                .toAbsolutePath();
    }

    /** Writes the report once every test of the JVM has run. */
    static final class ReportAtEnd implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            synchronized (RUNS) {
                if (!RUNS.isEmpty()) {
                    Summary s = ReportWriter.write(reportDir(), RUNS);
                    System.out.println(s.line());
                    System.err.println("fault-tests report: " + reportDir().resolve("index.html") + "\n" + s.line());
                }
            }
        }
    }
}
