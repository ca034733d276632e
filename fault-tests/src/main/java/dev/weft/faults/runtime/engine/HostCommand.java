package dev.weft.faults.runtime.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A command run on this machine (not in a container), with a timeout and captured output.
 *
 * <p>Used for the few things only the host can do: {@code ip netns}, {@code nsenter}, {@code
 * debootstrap}, {@code docker import}. Every call blocks the calling thread until the command exits
 * or its timeout passes (then the command is killed and an exception says so).
 */
public final class HostCommand {

    /** What a finished command printed and returned. */
    public record Result(List<String> argv, int exitCode, String stdout, String stderr) {
        /** True when the command exited 0. */
        public boolean ok() {
            return exitCode == 0;
        }

        /** This result, or an exception naming the command, its exit code and its stderr. */
        public Result check() {
            if (!ok()) {
                throw new IllegalStateException("command failed (exit " + exitCode + "): " + String.join(" ", argv)
                        + (stderr.isBlank() ? "" : "\n" + stderr.strip()));
            }
            return this;
        }
    }

    private HostCommand() {}

    /** Runs {@code argv} and waits at most {@code timeout}; stdin is empty. */
    public static Result run(Duration timeout, List<String> argv) {
        return run(timeout, argv, Map.of(), null, null);
    }

    /** Runs {@code argv}; see {@link #run(Duration, List)}. */
    public static Result run(Duration timeout, String... argv) {
        return run(timeout, List.of(argv));
    }

    /**
     * Runs {@code argv} with extra environment variables, in {@code workDir} (or the current
     * directory when null), feeding {@code stdinFile} (or nothing when null) to its standard input.
     */
    public static Result run(
            Duration timeout, List<String> argv, Map<String, String> env, Path workDir, Path stdinFile) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().putAll(env);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        pb.redirectInput(
                stdinFile == null
                        ? ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())
                        : ProcessBuilder.Redirect.from(stdinFile.toFile()));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", argv) + ": " + e.getMessage(), e);
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new IllegalStateException(
                        "command timed out after " + timeout.toSeconds() + " s: " + String.join(" ", argv));
            }
            return new Result(List.copyOf(argv), p.exitValue(), out.get(), err.get());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", argv), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the output of " + String.join(" ", argv), e);
        }
    }

    private static String drain(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
