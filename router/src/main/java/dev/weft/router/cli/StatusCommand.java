package dev.weft.router.cli;

import picocli.CommandLine.Command;

/**
 * {@code weft status [view]}: what the router is doing. Alone it prints the overview ({@code GET
 * /status}: every component's section); each component adds a subcommand for its detailed view, a
 * {@link StatusView} named like the view ({@code GET /status/NAME}).
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
public final class StatusCommand extends StatusView {

    /** The overview: {@code GET /status}. */
    @Override
    String path() {
        return "/status";
    }

    /** {@code weft status peers}: every known peer and the connections it reports. */
    @Command(name = "peers", description = "Every known peer and the connections it reports.")
    public static final class Peers extends StatusView {}

    /**
     * {@code weft status connections}: this router's connections (with the overlay carrying each
     * one's pod traffic and why), and targets being dialled.
     */
    @Command(
            name = "connections",
            description = "This router's connections with their state and the overlay carrying each one's pod"
                    + " traffic (sleeve, fastpath) and why, and dials in progress or failing with the reason.")
    public static final class Connections extends StatusView {}

    /** {@code weft status targets}: addresses this router dials, with retry times. */
    @Command(
            name = "targets",
            description = "Addresses this router dials (direct and discovered), with their state and next retry.")
    public static final class Targets extends StatusView {}

    /** {@code weft status dataplane}: bridge, fast path, sleeve's links, overlay per connection, drops. */
    @Command(
            name = "dataplane",
            description = "The data plane: bridge, fast path, sleeve's links, the overlay of each connection and why,"
                    + " frame and drop counters.")
    public static final class Dataplane extends StatusView {}

    /** {@code weft status ipam}: ranges per peer, free space, unreachable owners and what to do. */
    @Command(name = "ipam", description = "IP address management: ranges per peer, free space, what to do.")
    public static final class Ipam extends StatusView {}
}
