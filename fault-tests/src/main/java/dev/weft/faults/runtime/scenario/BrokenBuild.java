package dev.weft.faults.runtime.scenario;

import dev.weft.faults.report.ScenarioRun;
import dev.weft.faults.report.Summary;
import dev.weft.faults.runtime.engine.HostCommand;
import dev.weft.faults.scenario.Scenarios;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A deliberately broken copy of the checkout, to show that the checkers catch real bugs: the
 * checkout with its built router is copied (without .git) to {@code /tmp/weft-faults-broken/NAME},
 * a mutation is applied to one source file of the copy, and that file is recompiled into the
 * copy's router (see {@link #prepare}). The checkout itself is never touched.
 *
 * @param name the mutation's name (the copy's directory)
 * @param file the source file, relative to the checkout
 * @param edits exact text -> replacement; each must occur exactly once, else the mutation no
 *     longer fits the code and this says so
 * @param what what the mutation breaks, for messages
 * @param scenario the scenario that should expose it
 * @param checker the checker that must then fail
 */
public record BrokenBuild(
        String name, String file, Map<String, String> edits, String what, String scenario, String checker) {

    static final Path BASE = Path.of("/tmp/weft-faults-broken");

    /** Donors give away space they have allocated in (Donation ignores allocations). */
    public static final BrokenBuild DONATE_USED = new BrokenBuild(
            "donate-used",
            "ipam-crdt/src/main/java/dev/weft/ipam/internal/Donation.java",
            Map.of(
                    "long a = allocations.nextFree(rs);", "long a = rs; // MUTATION: ignore allocations",
                    "long b = Math.min(allocations.nextUsed(a), re);", "long b = re; // MUTATION",
                    "a = allocations.nextFree(b);", "a = b; // MUTATION"),
            "IPAM donation without the check that a donated block holds no allocated address",
            "DonationUnderChurn",
            "unique-addresses");

    /** Allocations acknowledged without being written to the store. */
    public static final BrokenBuild ACK_WITHOUT_STORE = new BrokenBuild(
            "ack-without-store",
            "ipam-crdt/src/main/java/dev/weft/ipam/runtime/GroupCommitter.java",
            Map.of(
                    "store.apply(work);",
                    // Still calls the store (its SQLException stays reachable) but only with nothing to write.
                    "if (work.isEmpty()) { store.apply(work); } /* MUTATION: batches acknowledged, never written */"),
            "IPAM acknowledging allocations without writing them to its store",
            "KillAndRestartDuringAllocations",
            "durable-allocations");

    /** Every demonstration. */
    public static final List<BrokenBuild> ALL = List.of(DONATE_USED, ACK_WITHOUT_STORE);

    /** The demonstration called {@code name}. */
    public static BrokenBuild byName(String name) {
        return ALL.stream()
                .filter(b -> b.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no broken build " + name + "; known: "
                        + ALL.stream().map(BrokenBuild::name).toList()));
    }

    /** Runs the exposing scenario against this broken build; the run's label is {@code broken:NAME}. */
    public ScenarioRun demonstrate(RunConfig config, Path brokenCheckout) {
        RunConfig c = new RunConfig(
                brokenCheckout, config.reportDir(), config.scale(), config.healBound(), config.nodes(), config.seed());
        ScenarioRun run =
                new ScenarioRunner(c).run(Scenarios.byName(scenario), 1, config.seed(), Summary.BROKEN + name);
        List<String> notes = new ArrayList<>(run.notes());
        notes.add(0, "router built with a deliberate bug: " + what + " (expected: " + checker + " FAIL)");
        return new ScenarioRun(
                run.scenario(), run.run(), run.seed(), run.history(), run.historyFile(), run.verdicts(), notes);
    }

    /** True when {@code run} shows the bug: this demonstration's checker failed. */
    public boolean caughtIn(ScenarioRun run) {
        return run.verdicts().stream().anyMatch(v -> v.checker().equals(checker) && v.failed());
    }

    /**
     * Copies {@code checkout} (with its built router, without .git and reports), applies the
     * mutation to the copy's source, compiles that one file with {@code javac} against the router's
     * own classpath and writes the classes into the module's jar in the copy's {@code
     * router/target/lib}: the copy's router is the checkout's router with exactly this class
     * changed. Returns the copy. Takes seconds; the checkout must be built.
     */
    public Path prepare(Path checkout) {
        ScenarioRunner.requireBuiltRouter(checkout);
        Path dir = BASE.resolve(name);
        HostCommand.run(Duration.ofMinutes(2), "rm", "-rf", "--one-file-system", dir.toString());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HostCommand.run(
                        Duration.ofMinutes(5),
                        "sh",
                        "-c",
                        "tar -C '" + checkout + "' --exclude=./.git --exclude=./report"
                                + " --exclude=./fault-tests/target/faults-report -cf - . | tar -C '" + dir + "' -xf -")
                .check();
        Path src = dir.resolve(file);
        mutate(src);
        Path lib = dir.resolve("router/target/lib");
        Path jar = moduleJar(lib);
        Path classes = dir.resolve("target/broken-classes");
        Path jdk = Path.of(System.getProperty("java.home"));
        HostCommand.Result javac = HostCommand.run(
                Duration.ofMinutes(5),
                jdk.resolve("bin/javac").toString(),
                "--release",
                Integer.toString(Runtime.version().feature()),
                "-parameters",
                "-nowarn",
                "-implicit:none",
                "-proc:none",
                "-cp",
                lib + "/*",
                "-d",
                classes.toString(),
                src.toString());
        if (!javac.ok()) {
            throw new IllegalStateException(
                    "the broken build " + name + " does not compile:\n" + javac.stdout() + javac.stderr());
        }
        HostCommand.run(
                        Duration.ofMinutes(2),
                        jdk.resolve("bin/jar").toString(),
                        "uf",
                        jar.toString(),
                        "-C",
                        classes.toString(),
                        ".")
                .check();
        return dir;
    }

    private void mutate(Path src) {
        try {
            String text = Files.readString(src, StandardCharsets.UTF_8);
            for (var e : edits.entrySet()) {
                int at = text.indexOf(e.getKey());
                if (at < 0 || text.indexOf(e.getKey(), at + 1) >= 0) {
                    throw new IllegalStateException("mutation " + name + " no longer fits " + file + ": \"" + e.getKey()
                            + "\" must occur exactly once; update BrokenBuild");
                }
                text = text.replace(e.getKey(), e.getValue());
            }
            Files.writeString(src, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The jar of the mutated file's module among the router's jars ({@code weft-MODULE-*.jar}). */
    private Path moduleJar(Path lib) {
        String module = file.substring(0, file.indexOf('/'));
        String prefix = "weft-" + module + "-";
        try (var files = Files.list(lib)) {
            List<Path> jars = files.filter(f -> {
                        String n = f.getFileName().toString();
                        return n.startsWith(prefix) && n.endsWith(".jar");
                    })
                    .toList();
            if (jars.size() != 1) {
                throw new IllegalStateException("expected one " + prefix + "*.jar in " + lib + ", found " + jars);
            }
            return jars.getFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
