package dev.weft.fastpath.vm;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the project's VM runner ({@code fastpath-ovs/vm/weft-vm}) from a test and collects what it printed. */
record VmRun(int exitCode, String output) {

    /** The runner script, as surefire passes it; tests skip when {@code -Dweft.vm=false}. */
    static Path runner() {
        assumeTrue(!"false".equals(System.getProperty("weft.vm")), "the VM suite is switched off (-Dweft.vm=false)");
        String path = System.getProperty("weft.vm.runner", "vm/weft-vm");
        Path runner = Path.of(path).toAbsolutePath();
        if (!Files.isExecutable(runner)) {
            throw new IllegalStateException("VM runner not found or not executable: " + runner);
        }
        return runner;
    }

    /** Runs {@code weft-vm ARGS...}, waiting at most {@code waitSeconds}; stdout and stderr together. */
    static VmRun run(long waitSeconds, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(runner().toString());
        command.addAll(args);
        Path log = Files.createTempFile("weft-vm-test", ".log");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!process.waitFor(waitSeconds, TimeUnit.SECONDS)) {
                process.destroy();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("weft-vm did not finish within " + waitSeconds + " s: "
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new VmRun(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
