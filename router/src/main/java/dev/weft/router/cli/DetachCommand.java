package dev.weft.router.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code weft detach NETNS}: undo {@code weft attach}. */
@Command(
        name = "detach",
        mixinStandardHelpOptions = true,
        description = {
            "Detach a network namespace attached with `weft attach`: delete its veth pair and free its",
            "address. Detaching a namespace that is not attached is not an error."
        })
final class DetachCommand implements Callable<Integer> {

    @CommandLine.Parameters(
            index = "0",
            paramLabel = "NETNS",
            description = "the namespace name or path given to attach")
    String netns;

    @CommandLine.Mixin
    AttachmentRequest request = new AttachmentRequest();

    @Override
    public Integer call() throws Exception {
        return request.send("detach", netns, "");
    }
}
