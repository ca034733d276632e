package dev.weft.router.cli;

import java.time.Duration;
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
    ApiAddressOption api = new ApiAddressOption();

    @CommandLine.Option(names = "--json", description = "print the result as JSON")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return send(spec, api, "attach", netns, "&ifname=" + LocalApi.segment(ifname), json);
    }

    /** POSTs {@code /action?netns=...}; prints the answer; 0 on 200. */
    static int send(
            CommandLine.Model.CommandSpec spec,
            ApiAddressOption api,
            String action,
            String netns,
            String more,
            boolean json)
            throws Exception {
        String q = "/" + action + "?netns=" + LocalApi.segment(netns) + more + (json ? "&format=json" : "");
        LocalApi.Reply r;
        try {
            r = api.api().send("POST", q, Duration.ofSeconds(60));
        } catch (java.io.IOException e) {
            spec.commandLine().getErr().println("weft " + action + ": " + e.getMessage());
            return 1;
        }
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
