package dev.weft.router.cli;

import dev.weft.cni.api.CniConfig;
import dev.weft.router.cni.CniPathOptions;
import dev.weft.router.internal.dataplane.DataPlaneConfig;
import dev.weft.router.ipam.IpamOptions;
import dev.weft.router.runtime.HostReset;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code weft reset [--data]}: take what {@code weft launch} left on this host away (Weave's
 * {@code weave reset}). Refused while a router answers on the API address.
 */
@Command(
        name = "reset",
        mixinStandardHelpOptions = true,
        description = {
            "Remove what weft launch leaves on this host once the router has stopped: the fast path's",
            "datapath and devices, sleeve's TAP, the bridge (attached pods lose the network), the CNI",
            "configuration, plugin and socket, and the masquerade table. With --data, also IPAM's",
            "store and the CNI records (the peer name stays: launched again, this node relearns its",
            "address ranges from the others). Refused while a router answers on --http-addr."
        })
final class ResetCommand implements Callable<Integer> {

    @CommandLine.Option(
            names = "--data",
            description = "also remove IPAM's store and the CNI records and DEL queue: the addresses of"
                    + " pods on this node are forgotten")
    boolean data;

    @CommandLine.Option(
            names = "--bridge",
            defaultValue = "${env:WEFT_BRIDGE:-" + DataPlaneConfig.DEFAULT_BRIDGE + "}",
            description = "the bridge weft launch used (env WEFT_BRIDGE; default ${DEFAULT-VALUE})")
    String bridge;

    @CommandLine.Option(
            names = "--data-dir",
            paramLabel = "DIR",
            defaultValue = IpamOptions.DATA_DIR_DEFAULT,
            description = "the data directory weft launch used (env WEFT_DATA_DIR; default ${DEFAULT-VALUE})")
    Path dataDir;

    @CommandLine.Mixin
    CniPathOptions cni = new CniPathOptions();

    @CommandLine.Mixin
    ApiAddressOption api = new ApiAddressOption();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DataPlaneConfig dataPlane;
        try {
            dataPlane = DataPlaneConfig.defaults().withBridge(bridge);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--bridge: " + e.getMessage());
        }
        if (routerAnswers()) {
            err.println("weft reset: a router answers at " + api.address + "; stop it first");
            return 1;
        }
        CniConfig cniState = cni.hostState(dataDir);
        Path socket = cniState.socket();
        if (serves(socket)) {
            err.println("weft reset: a router serves CNI on " + socket + "; stop it first");
            return 1;
        }
        List<String> removed;
        try {
            removed = HostReset.run(dataPlane, cniState, dataDir, data);
        } catch (IOException e) {
            err.println("weft reset: " + e.getMessage());
            return 1;
        }
        if (removed.isEmpty()) {
            out.println("weft reset: nothing to remove");
        }
        removed.forEach(r -> out.println("removed " + r));
        return 0;
    }

    /** Whether something accepts connections on the CNI socket (a stale file accepts none). */
    private static boolean serves(Path socket) {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            return ch.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    private boolean routerAnswers() throws InterruptedException {
        try {
            api.api().send("GET", "/status", Duration.ofSeconds(5));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
