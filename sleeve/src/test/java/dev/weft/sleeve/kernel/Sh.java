package dev.weft.sleeve.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs fixture commands (ip, ping, iptables, iperf3, tcpdump) and returns their output. */
public final class Sh {
    private Sh() {}

    public record Result(int exit, String out) {}

    public static Result run(int timeoutSeconds, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timeout: " + String.join(" ", cmd));
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    public static String ok(String... cmd) {
        Result r = run(120, cmd);
        if (r.exit() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed (" + r.exit() + "): " + r.out());
        }
        return r.out();
    }

    public static String[] in(String ns, String... cmd) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        c.addAll(List.of(cmd));
        return c.toArray(String[]::new);
    }

    public static String ns(String ns, String... cmd) {
        return ok(in(ns, cmd));
    }

    public static Result nsRun(int timeoutSeconds, String ns, String... cmd) {
        return run(timeoutSeconds, in(ns, cmd));
    }
}
