package dev.weft.router.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code weft rmpeer NAME}: removes a dead peer from the IPAM ring. Its ranges go to deterministic
 * heirs (the owner of the range just below each), so running it on several peers is harmless.
 */
@Command(
        name = "rmpeer",
        mixinStandardHelpOptions = true,
        description = {
            "Remove a dead peer from the IP allocation ring; its ranges go to their heirs (the owner of"
                    + " the range just below each one), whichever peer runs this.",
            "Refused for a reachable peer. Only for peers that are gone for good."
        })
public final class RmpeerCommand implements Callable<Integer> {

    @Parameters(paramLabel = "NAME", description = "The dead peer's name (aa:bb:cc:dd:ee:ff) or unique nickname.")
    String peer;

    @Option(
            names = "--take-all",
            description = "Only when every other range also belongs to removed peers: take everything on this"
                    + " peer. Run it on exactly ONE peer.")
    boolean takeAll;

    @picocli.CommandLine.Mixin
    ApiAddressOption api = new ApiAddressOption();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        LocalApi.Reply r = api.api()
                .send(
                        "DELETE",
                        "/peer/" + LocalApi.segment(peer) + (takeAll ? "?take-all=true" : ""),
                        Duration.ofSeconds(30));
        (r.status() == 200 ? spec.commandLine().getOut() : spec.commandLine().getErr()).print(r.body());
        return r.status() == 200 ? 0 : 1;
    }
}
