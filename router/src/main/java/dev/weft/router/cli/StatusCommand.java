package dev.weft.router.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code weft status ...}: what the router is doing; each component adds a subcommand. */
@Command(
        name = "status",
        description = "Show what the local router is doing.",
        mixinStandardHelpOptions = true,
        subcommands = {StatusCommand.Ipam.class})
public final class StatusCommand implements Runnable {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code weft status ipam}: ranges per peer, free space, unreachable owners and what to do. */
    @Command(name = "ipam", description = "IP address management: ranges per peer, free space, what to do.")
    public static final class Ipam implements Callable<Integer> {

        @Option(
                names = "--http-addr",
                defaultValue = LocalApi.DEFAULT_ADDRESS,
                description = "The router's API (default: ${DEFAULT-VALUE}).")
        String address;

        @Option(names = "--json", description = "Print the status as JSON.")
        boolean json;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            LocalApi.Reply r = new LocalApi(address)
                    .send("GET", "/status/ipam" + (json ? "?format=json" : ""), Duration.ofSeconds(10));
            (r.status() == 200
                            ? spec.commandLine().getOut()
                            : spec.commandLine().getErr())
                    .print(r.body());
            return r.status() == 200 ? 0 : 1;
        }
    }
}
