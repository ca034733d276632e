package dev.weft.router.cli;

import dev.weft.router.demo.DemoOptions;
import dev.weft.router.demo.DemoReport;
import dev.weft.router.demo.runtime.Demo;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code weft demo}: a whole mesh on this machine, in network namespaces, with traffic. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Build a Weft mesh on this machine and show it working: node network namespaces on an underlay",
            "bridge, one `weft launch` router per node, pods attached with IPAM addresses, a ping between",
            "every pair of pods, and a summary (peers, connections with the overlay each uses and why,",
            "addresses, reachability matrix with round-trip times). Everything is removed at the end, also",
            "on Ctrl-C. Needs root. Exit status 0 only if every pod reached every other pod."
        })
final class DemoCommand implements Callable<Integer> {

    @CommandLine.Option(
            names = "--nodes",
            defaultValue = "3",
            description = "routers (2..16; default ${DEFAULT-VALUE})")
    int nodes;

    @CommandLine.Option(
            names = "--pods",
            defaultValue = "2",
            description = "pods per router (1..8; default ${DEFAULT-VALUE})")
    int pods;

    @CommandLine.Option(
            names = "--password",
            description = "mesh password: encrypted connections, pod traffic through sleeve (default: none,"
                    + " so the kernel fast path carries pod traffic where it can)")
    String password;

    @CommandLine.Option(names = "--keep", description = "leave the mesh running at the end and print how to remove it")
    boolean keep;

    @CommandLine.Option(
            names = "--timeout",
            defaultValue = "180",
            description =
                    "seconds each phase may take (routers up, mesh established, pods attached; default ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @CommandLine.Option(
            names = "--pings",
            defaultValue = "3",
            description = "echo requests per pod pair (default ${DEFAULT-VALUE})")
    int pings;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        DemoOptions o;
        try {
            o = new DemoOptions(
                    nodes, pods, Optional.ofNullable(password), keep, Duration.ofSeconds(timeoutSeconds), pings);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintStream out =
                new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        try {
            DemoReport r = new Demo(o, out).run();
            return r.unreachable() == 0 ? 0 : 1;
        } catch (Demo.DemoException e) {
            spec.commandLine().getErr().println("weft demo: " + e.getMessage());
            return 2;
        }
    }
}
