package dev.weft.router.cli;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code weft forget host[:port]...}: stop redialling direct targets (connections stay up). */
@Command(
        name = "forget",
        mixinStandardHelpOptions = true,
        description = "Remove direct targets from the running router; existing connections stay up.")
final class ForgetCommand implements Callable<Integer> {

    @CommandLine.Parameters(arity = "1..*", paramLabel = "PEER", description = "host or host:port")
    List<String> peers;

    @CommandLine.Mixin
    ApiAddressOption api = new ApiAddressOption();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String q = "/forget?peer=" + LocalApi.segment(String.join(",", peers));
        LocalApi.Reply r = api.api().send("POST", q, Duration.ofSeconds(10));
        if (r.status() == 200) {
            return 0;
        }
        spec.commandLine().getErr().println("weft forget: " + r.body().strip());
        return 1;
    }
}
