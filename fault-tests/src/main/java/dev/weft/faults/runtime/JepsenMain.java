package dev.weft.faults.runtime;

import dev.weft.faults.check.DurableAllocations;
import dev.weft.faults.check.GossipConvergence;
import dev.weft.faults.check.Reachability;
import dev.weft.faults.check.RingOwnership;
import dev.weft.faults.check.UniqueAddresses;
import dev.weft.faults.check.Verdict;
import dev.weft.faults.history.History;
import dev.weft.faults.history.HistoryCodec;
import dev.weft.faults.report.ReportWriter;
import dev.weft.faults.report.ScenarioRun;
import dev.weft.faults.report.Summary;
import dev.weft.faults.runtime.scenario.BrokenBuild;
import dev.weft.faults.runtime.scenario.RunConfig;
import dev.weft.faults.runtime.scenario.ScenarioRunner;
import dev.weft.faults.scenario.Scenario;
import dev.weft.faults.scenario.Scenarios;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code fault-tests/run} (and {@code weft jepsen}): runs scenarios against real routers and writes
 * the report; or, with {@code --check}, judges recorded histories again. The last line printed is
 * the summary line; the exit code is 1 when any checker failed, 2 on bad usage.
 */
public final class JepsenMain {

    private static final String USAGE =
            """
            usage: fault-tests/run [--scenarios all|smoke|NAME,...] [--runs R] [--scale F] [--seed S]
                                   [--nodes N] [--heal-bound SECONDS] [--report DIR] [--weft-home DIR]
                   fault-tests/run --check HISTORY.jsonl... [--report DIR]
                   fault-tests/run --broken all|NAME,... [--seed S] [--report DIR]
              --scenarios  which scenarios (default all): %s
              --runs       runs per scenario, each with the next seed (default 1)
              --scale      multiply every scenario duration (default 1.0; the CI smoke uses 0.5)
              --seed       the first seed (default: random); a run replays from its seed
              --nodes      node count (default: each scenario's own, 5)
              --heal-bound seconds after the final heal to converge and reach every pod (default 30)
              --report     report directory (default ./report): index.html, summary.json, histories, logs
              --check      judge existing histories with every checker (no containers)
              --broken     show the checkers catch bugs: build the router with a deliberate IPAM bug
                           (donate-used, ack-without-store) and run the scenario that exposes it;
                           exit 0 only if every bug was caught by its checker
            """;

    private static final SecureRandom RANDOM = new SecureRandom();

    private JepsenMain() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        String scenarios = "all";
        int runs = 1;
        double scale = 1.0;
        long seed = RANDOM.nextLong() & 0xffffffffL;
        int nodes = 0;
        int healBound = 30;
        Path report = Path.of("report");
        Path weftHome = Path.of("").toAbsolutePath();
        List<Path> check = new ArrayList<>();
        String broken = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("-h") || a.equals("--help")) {
                    System.out.print(usage());
                    return 0;
                } else if (a.equals("--check")) {
                    while (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                        check.add(Path.of(args[++i]));
                    }
                } else if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                } else {
                    String v = args[++i];
                    switch (a) {
                        case "--scenarios" -> scenarios = v;
                        case "--runs" -> runs = Integer.parseInt(v);
                        case "--scale" -> scale = Double.parseDouble(v);
                        case "--seed" -> seed = Long.parseLong(v);
                        case "--nodes" -> nodes = Integer.parseInt(v);
                        case "--heal-bound" -> healBound = Integer.parseInt(v);
                        case "--report" -> report = Path.of(v);
                        case "--weft-home" -> weftHome = Path.of(v);
                        case "--broken" -> broken = v;
                        default -> throw new IllegalArgumentException("unknown argument " + a);
                    }
                }
            }
            if (runs < 1 || nodes < 0 || healBound < 1) {
                throw new IllegalArgumentException("--runs and --heal-bound must be positive, --nodes not negative");
            }
        } catch (RuntimeException e) {
            System.err.println("fault-tests: " + e.getMessage() + "\n" + usage());
            return 2;
        }
        RunConfig config =
                new RunConfig(weftHome, report.toAbsolutePath(), scale, Duration.ofSeconds(healBound), nodes, seed);
        if (broken != null) {
            return demonstrate(broken, config, report);
        }
        List<ScenarioRun> results = check.isEmpty()
                ? runScenarios(select(scenarios), runs, config)
                : rejudge(check, report, Duration.ofSeconds(healBound));
        Summary s = ReportWriter.write(report, results);
        System.err.println("report: " + report.toAbsolutePath().resolve("index.html"));
        System.out.println(s.line());
        return s.verdict().equals("FAIL") ? 1 : 0;
    }

    private static int demonstrate(String which, RunConfig config, Path report) {
        List<BrokenBuild> bugs = which.equals("all")
                ? BrokenBuild.ALL
                : List.of(which.split(",")).stream()
                        .map(String::strip)
                        .map(BrokenBuild::byName)
                        .toList();
        List<ScenarioRun> results = new ArrayList<>();
        boolean allCaught = true;
        for (BrokenBuild bug : bugs) {
            System.err.println("building the router with a deliberate bug (" + bug.what() + ") ...");
            ScenarioRun run = bug.demonstrate(config, bug.prepare(config.weftHome()));
            results.add(run);
            boolean caught = bug.caughtIn(run);
            allCaught &= caught;
            System.err.printf(
                    "broken:%s on %s: %s %s%n",
                    bug.name(), bug.scenario(), bug.checker(), caught ? "FAIL (caught)" : "did not fail (NOT CAUGHT)");
            for (Verdict v : run.verdicts()) {
                System.err.printf("    %-26s %-7s %s%n", v.checker(), v.result(), v.summary());
            }
        }
        Summary s = ReportWriter.write(report, results);
        System.err.println("report: " + report.toAbsolutePath().resolve("index.html"));
        System.out.println(s.line());
        return allCaught ? 0 : 1;
    }

    private static List<Scenario> select(String which) {
        return switch (which) {
            case "all" -> Scenarios.all();
            case "smoke" -> Scenarios.SMOKE.stream().map(Scenarios::byName).toList();
            default ->
                List.of(which.split(",")).stream()
                        .map(String::strip)
                        .map(Scenarios::byName)
                        .toList();
        };
    }

    private static List<ScenarioRun> runScenarios(List<Scenario> scenarios, int runs, RunConfig config) {
        ScenarioRunner runner = new ScenarioRunner(config);
        List<ScenarioRun> results = new ArrayList<>();
        long seed = config.seed();
        for (Scenario s : scenarios) {
            for (int r = 1; r <= runs; r++) {
                // Fresh instance per run: scenarios may keep per-run choices.
                ScenarioRun result = runner.run(Scenarios.byName(s.name()), r, seed++);
                results.add(result);
                System.err.printf(
                        "%s #%d seed %d: %s%n", result.scenario(), result.run(), result.seed(), result.result());
                for (Verdict v : result.verdicts()) {
                    System.err.printf("    %-26s %-7s %s%n", v.checker(), v.result(), v.summary());
                }
            }
        }
        return results;
    }

    private static List<ScenarioRun> rejudge(List<Path> files, Path report, Duration healBound) {
        List<ScenarioRun> results = new ArrayList<>();
        for (Path f : files) {
            History h = HistoryCodec.read(f);
            String name = h.meta()
                    .map(m -> m.path("scenario").asText(""))
                    .filter(n -> !n.isEmpty())
                    .orElse(String.valueOf(f.getFileName()));
            long seed = h.meta().map(m -> m.path("seed").asLong()).orElse(0L);
            int run = h.meta().map(m -> m.path("run").asInt(1)).orElse(1);
            String rel = "histories/" + f.getFileName();
            try {
                Files.createDirectories(report.resolve("histories"));
                Path dest = report.resolve(rel);
                if (!Files.exists(dest) || !Files.isSameFile(f, dest)) {
                    Files.copy(f, dest, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            List<Verdict> verdicts = List.of(
                            new UniqueAddresses(),
                            new DurableAllocations(),
                            new Reachability(healBound),
                            new RingOwnership(),
                            new GossipConvergence())
                    .stream()
                    .map(c -> c.check(h))
                    .toList();
            results.add(new ScenarioRun(name, run, seed, h, rel, verdicts, List.of("re-judged from " + f)));
        }
        return results;
    }

    private static String usage() {
        return USAGE.replace(
                "%s", Scenarios.all().stream().map(Scenario::name).toList().toString());
    }
}
