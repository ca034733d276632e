package dev.weft.router.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code weft attach NETNS}: attach a network namespace to the running router as a pod. */
@Command(
        name = "attach",
        mixinStandardHelpOptions = true,
        description = {
            "Attach a network namespace to the running router as a pod: a veth pair from the bridge into",
            "the namespace (eth0), an address from IPAM and routes for the range and multicast.",
            "Attaching an attached namespace prints its address again."
        })
final class AttachCommand implements Callable<Integer> {

    @CommandLine.Parameters(
            index = "0",
            paramLabel = "NETNS",
            description = "a network namespace name (under /run/netns, as `ip netns add` makes) or path")
    String netns;

    @CommandLine.Option(
            names = "--ifname",
            defaultValue = "eth0",
            description = "the interface inside the namespace (default ${DEFAULT-VALUE})")
    String ifname;

    @CommandLine.Mixin
    AttachmentRequest request = new AttachmentRequest();

    @Override
    public Integer call() throws Exception {
        return request.send("attach", netns, "&ifname=" + LocalApi.segment(ifname));
    }
}
