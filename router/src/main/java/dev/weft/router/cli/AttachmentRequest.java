package dev.weft.router.cli;

import java.time.Duration;
import picocli.CommandLine;

/**
 * What {@code weft attach} and {@code weft detach} share (a picocli mixin): the router's address, the
 * {@code --json} option, and the request itself, {@code POST /attach} or {@code /detach} for a
 * namespace.
 */
final class AttachmentRequest {

    @CommandLine.Mixin
    ApiAddressOption api = new ApiAddressOption();

    @CommandLine.Option(names = "--json", description = "print the result as JSON")
    boolean json;

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    /**
     * POSTs {@code /action?netns=...} (plus {@code more}, already encoded query parameters starting
     * with {@code &}) and waits up to 60 s; prints the answer to the command's out on 200, else one
     * line naming the command to its err. Blocks the calling thread.
     *
     * @return the exit code: 0 on 200, 1 otherwise (router unreachable, an error answer)
     */
    int send(String action, String netns, String more) throws Exception {
        String q = "/" + action + "?netns=" + LocalApi.segment(netns) + more + (json ? "&format=json" : "");
        // An unreachable router is WeftCli's one-line error (exit 1), as for every API command.
        LocalApi.Reply r = api.api().send("POST", q, Duration.ofSeconds(60));
        if (r.status() == 200) {
            spec.commandLine().getOut().print(r.body());
            spec.commandLine().getOut().flush();
            return 0;
        }
        String body = r.body().strip();
        if (r.status() == 404 && body.startsWith("no such endpoint")) {
            body = "this router has no data plane (" + body + ")";
        }
        spec.commandLine().getErr().println("weft " + action + ": " + body);
        return 1;
    }
}
