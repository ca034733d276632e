package dev.weft.router.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code weft status [view]}: what the router is doing. Alone it prints the overview ({@code GET
 * /status}: every component's section); each component adds a subcommand for its detailed view.
 */
@Command(
        name = "status",
        description = "Show what the local router is doing: the overview, or one view in detail.",
        mixinStandardHelpOptions = true,
        subcommands = {
            StatusCommand.Peers.class,
            StatusCommand.Connections.class,
            StatusCommand.Targets.class,
            StatusCommand.Dataplane.class,
            StatusCommand.Ipam.class
        })
public final class StatusCommand implements Callable<Integer> {

    @Mixin
    ApiAddressOption api = new ApiAddressOption();

    @Option(names = "--json", description = "Print the status as JSON.")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return print(spec, api, "/status", json);
    }

    /** GETs {@code path} and prints the body; exit 0 on 200, 1 otherwise (503: not ready). */
    static int print(picocli.CommandLine.Model.CommandSpec spec, ApiAddressOption api, String path, boolean json)
            throws Exception {
        LocalApi.Reply r = api.api().send("GET", path + (json ? "?format=json" : ""), Duration.ofSeconds(10));
        (r.status() == 200 ? spec.commandLine().getOut() : spec.commandLine().getErr()).print(r.body());
        spec.commandLine().getOut().flush();
        return r.status() == 200 ? 0 : 1;
    }

    /** Options of every view. */
    abstract static class View implements Callable<Integer> {
        @Mixin
        ApiAddressOption api = new ApiAddressOption();

        @Option(names = "--json", description = "Print the status as JSON.")
        boolean json;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        abstract String path();

        @Override
        public Integer call() throws Exception {
            return print(spec, api, path(), json);
        }
    }

    /** {@code weft status peers}: every known peer and the connections it reports. */
    @Command(name = "peers", description = "Every known peer and the connections it reports.")
    public static final class Peers extends View {
        @Override
        String path() {
            return "/status/peers";
        }
    }

    /**
     * {@code weft status connections}: this router's connections (with the overlay carrying each
     * one's pod traffic and why), and targets being dialled.
     */
    @Command(
            name = "connections",
            description = "This router's connections with their state and the overlay carrying each one's pod"
                    + " traffic (sleeve, fastpath) and why, and dials in progress or failing with the reason.")
    public static final class Connections extends View {
        @Override
        String path() {
            return "/status/connections";
        }
    }

    /** {@code weft status targets}: addresses this router dials, with retry times. */
    @Command(
            name = "targets",
            description = "Addresses this router dials (direct and discovered), with their state and next retry.")
    public static final class Targets extends View {
        @Override
        String path() {
            return "/status/targets";
        }
    }

    /** {@code weft status dataplane}: bridge, fast path, sleeve links, overlay per connection, drops. */
    @Command(
            name = "dataplane",
            description = "The data plane: bridge, fast path, sleeve's links, the overlay of each connection and why,"
                    + " frame and drop counters.")
    public static final class Dataplane extends View {
        @Override
        String path() {
            return "/status/dataplane";
        }
    }

    /** {@code weft status ipam}: ranges per peer, free space, unreachable owners and what to do. */
    @Command(name = "ipam", description = "IP address management: ranges per peer, free space, what to do.")
    public static final class Ipam extends View {
        @Override
        String path() {
            return "/status/ipam";
        }
    }
}
