package dev.weft.router.cli;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code weft connect [--replace] host[:port]...}: add direct targets to the running router. */
@Command(
        name = "connect",
        mixinStandardHelpOptions = true,
        description = "Make the running router connect to more peers (host or host:port; port 6783 by default).")
final class ConnectCommand implements Callable<Integer> {

    @CommandLine.Parameters(arity = "0..*", paramLabel = "PEER", description = "host or host:port")
    List<String> peers = List.of();

    @CommandLine.Option(names = "--replace", description = "replace the direct targets with these (none: forget all)")
    boolean replace;

    @CommandLine.Mixin
    ApiAddressOption api = new ApiAddressOption();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (peers.isEmpty() && !replace) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing a peer to connect to");
        }
        String q = "/connect?peer=" + LocalApi.segment(String.join(",", peers)) + (replace ? "&replace=true" : "");
        LocalApi.Reply r = api.api().send("POST", q, Duration.ofSeconds(10));
        if (r.status() == 200) {
            return 0;
        }
        spec.commandLine().getErr().println("weft connect: " + r.body().strip());
        return 1;
    }
}
