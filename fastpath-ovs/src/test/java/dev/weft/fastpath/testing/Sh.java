package dev.weft.fastpath.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test fixtures made with iproute2 and ping (the code under test uses netlink itself). */
public final class Sh {
    private Sh() {}

    public record Result(int exitCode, String output) {}

    public static Result run(String... command) {
        try {
            Process process = new ProcessBuilder(List.of(command))
                    .redirectErrorStream(true)
                    .start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("timed out: " + String.join(" ", command));
            }
            return new Result(
                    process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Runs a shell line; fails the test if it fails. */
    public static String ok(String line) {
        Result result = run("sh", "-c", line);
        if (result.exitCode() != 0) {
            throw new AssertionError("`" + line + "` failed (" + result.exitCode() + "): " + result.output());
        }
        return result.output();
    }
}
