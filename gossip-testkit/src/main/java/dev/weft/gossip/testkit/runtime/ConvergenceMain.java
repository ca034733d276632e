package dev.weft.gossip.testkit.runtime;

import dev.weft.gossip.testkit.ConvergenceRun;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * The entry point of {@code bench/gossip-convergence}: one {@link ConvergenceRun} in this JVM
 * (real wall clock: this is a {@code runtime} package). Arguments: {@code peers seed fanout
 * spreadSeconds limitSeconds}. Prints the details, then the benchmark's line last.
 */
public final class ConvergenceMain {

    private ConvergenceMain() {}

    public static void main(String[] args) {
        int peers = Integer.parseInt(args[0]);
        long seed = Long.parseLong(args[1]);
        int fanout = Integer.parseInt(args[2]);
        Duration spread = Duration.ofMillis((long) (Double.parseDouble(args[3]) * 1000));
        Duration limit = Duration.ofSeconds(Long.parseLong(args[4]));
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        ConvergenceRun.Result r =
                ConvergenceRun.run(seed, peers, fanout, spread, limit, UnaryOperator.identity(), System::nanoTime);
        double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
        System.out.printf(
                java.util.Locale.ROOT,
                "details peers=%d seed=%d fanout=%d spread_s=%.1f bytes=%d events=%d cpu_s=%.1f (the simulation's"
                        + " thread: what wall time would be on an idle core)%n",
                peers,
                seed,
                fanout,
                spread.toMillis() / 1000.0,
                r.bytes(),
                r.events(),
                cpu);
        System.out.println(r.mesh().line());
        System.out.println(r.line());
        System.exit(r.converged() ? 0 : 1);
    }
}
