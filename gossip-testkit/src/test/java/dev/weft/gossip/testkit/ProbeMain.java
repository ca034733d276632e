package dev.weft.gossip.testkit;

import java.time.Duration;
import java.util.function.UnaryOperator;

/** Ad-hoc scale probe: {@code java ... ProbeMain N}. */
public final class ProbeMain {
    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        var res = ConvergenceRun.run(
                42, n, 3, Duration.ofSeconds(1), Duration.ofSeconds(120), UnaryOperator.identity(), System::nanoTime);
        System.out.println(res.line() + " events=" + res.events() + " bytes=" + res.bytes());
    }
}
