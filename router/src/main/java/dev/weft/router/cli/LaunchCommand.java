package dev.weft.router.cli;

import dev.weft.gossip.api.PeerName;
import dev.weft.router.cni.CniOptions;
import dev.weft.router.fastpath.FastPathOptions;
import dev.weft.router.internal.dataplane.DataPlaneConfig;
import dev.weft.router.ipam.IpamOptions;
import dev.weft.router.runtime.Router;
import dev.weft.router.runtime.RouterComponent;
import dev.weft.router.runtime.RouterComponents;
import dev.weft.router.runtime.RouterConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code weft launch}: runs a router in the foreground until SIGTERM or SIGINT. */
@Command(
        name = "launch",
        mixinStandardHelpOptions = true,
        description = {
            "Run a Weft router in the foreground: join the mesh (TCP 6783), carry pod traffic (bridge weft,",
            "sleeve on UDP 6783, the kernel fast path on UDP 6784), give out addresses (IPAM), serve the CNI",
            "plugin and the HTTP API (127.0.0.1:6784). Options marked (env WEFT_...) can also be set by that",
            "variable."
        })
final class LaunchCommand implements Callable<Integer> {

    @CommandLine.Parameters(arity = "0..*", paramLabel = "PEER", description = "peers to connect to: host or host:port")
    List<String> peerArgs = List.of();

    @CommandLine.Option(
            names = "--peers",
            defaultValue = "${env:WEFT_PEERS:-}",
            split = "[,\\s]+",
            description = "peers to connect to, comma-separated (env WEFT_PEERS)")
    List<String> peers = List.of();

    @CommandLine.Option(
            names = "--name",
            defaultValue = "${env:WEFT_NAME:-}",
            description = "peer name aa:bb:cc:dd:ee:ff (env WEFT_NAME; default: persisted in the data dir,"
                    + " derived from /etc/machine-id the first time)")
    String name;

    @CommandLine.Option(
            names = "--nickname",
            defaultValue = "${env:WEFT_NICKNAME:-}",
            description = "nickname shown in status (env WEFT_NICKNAME; default: the host name)")
    String nickname;

    @CommandLine.Option(
            names = "--password",
            defaultValue = "${env:WEFT_PASSWORD:-}",
            description = "mesh password: encrypts the control plane; all peers must agree (env WEFT_PASSWORD;"
                    + " prefer --password-file, command lines are visible to other users)")
    String password;

    @CommandLine.Option(
            names = "--password-file",
            defaultValue = "${env:WEFT_PASSWORD_FILE:-}",
            description = "file holding the mesh password (env WEFT_PASSWORD_FILE)")
    String passwordFile;

    @CommandLine.Option(
            names = "--host",
            defaultValue = "${env:WEFT_HOST:-0.0.0.0}",
            description = "address the mesh listens on (env WEFT_HOST; default ${DEFAULT-VALUE})")
    String host;

    @CommandLine.Option(
            names = "--port",
            defaultValue = "${env:WEFT_PORT:-6783}",
            description = "mesh TCP port and sleeve's UDP port (env WEFT_PORT; default ${DEFAULT-VALUE})")
    int port;

    @CommandLine.Option(
            names = "--conn-limit",
            defaultValue = "${env:WEFT_CONN_LIMIT:-200}",
            description = "most mesh connections, 0 = unlimited (env WEFT_CONN_LIMIT; default ${DEFAULT-VALUE})")
    int connLimit;

    @CommandLine.Option(names = "--no-discovery", description = "do not dial peers learnt from the topology")
    boolean noDiscovery;

    @CommandLine.Option(
            names = "--http-addr",
            defaultValue = "${env:WEFT_HTTP_ADDR:-127.0.0.1:6784}",
            description = "HTTP API address (env WEFT_HTTP_ADDR; default ${DEFAULT-VALUE})")
    String httpAddr;

    @CommandLine.Option(
            names = "--mtu",
            defaultValue = "${env:WEFT_MTU:-" + DataPlaneConfig.DEFAULT_MTU + "}",
            description = "the pods' MTU in bytes, 576..65535 (env WEFT_MTU; default ${DEFAULT-VALUE}: room for"
                    + " sleeve's encryption and VXLAN on a 1500-byte underlay)")
    int mtu;

    @CommandLine.Option(
            names = "--bridge",
            defaultValue = "${env:WEFT_BRIDGE:-" + DataPlaneConfig.DEFAULT_BRIDGE + "}",
            description = "the bridge pods attach to (env WEFT_BRIDGE; default ${DEFAULT-VALUE})")
    String bridge;

    @CommandLine.Mixin
    IpamOptions ipam = new IpamOptions();

    @CommandLine.Mixin
    FastPathOptions fastPath = new FastPathOptions();

    @CommandLine.Mixin
    CniOptions cni = new CniOptions();

    @CommandLine.Mixin
    DiscoveryOptions discovery = new DiscoveryOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Parses the options into a router configuration (no side effects). */
    RouterConfig config() throws IOException {
        PeerName peerName = null;
        if (name != null && !name.isBlank()) {
            try {
                peerName = PeerName.parse(name.strip());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--name: " + e.getMessage());
            }
        }
        byte[] secret = null;
        boolean hasPassword = password != null && !password.isEmpty();
        boolean hasFile = passwordFile != null && !passwordFile.isBlank();
        if (hasPassword && hasFile) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "give the password either with --password (WEFT_PASSWORD) or with --password-file"
                            + " (WEFT_PASSWORD_FILE), not both");
        }
        if (hasPassword) {
            secret = password.getBytes(StandardCharsets.UTF_8);
        } else if (hasFile) {
            Path f = Path.of(passwordFile.strip());
            if (!Files.isReadable(f)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--password-file: cannot read " + f);
            }
            String text = Files.readString(f, StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--password-file: " + f + " is empty");
            }
            secret = text.getBytes(StandardCharsets.UTF_8);
        }
        List<String> all = new ArrayList<>();
        for (String p : peers) {
            if (!p.isBlank()) {
                all.add(p.strip());
            }
        }
        all.addAll(peerArgs);
        String nick = nickname == null || nickname.isBlank() ? hostName() : nickname.strip();
        return new RouterConfig(
                peerName,
                nick,
                secret,
                all,
                host,
                port,
                connLimit,
                !noDiscovery,
                httpAddress(httpAddr),
                ipam.dataDir());
    }

    /** The data plane's configuration: bridge, MTU, sleeve on the mesh port, the fast path's flags. */
    DataPlaneConfig dataPlane() {
        try {
            DataPlaneConfig d = DataPlaneConfig.defaults().withMtu(mtu).withBridge(bridge);
            return d.withSleeve(d.sleeve().withPort(port)).withFastPath(fastPath.config());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private InetSocketAddress httpAddress(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--http-addr: expected host:port, got " + text);
        }
        try {
            String h = text.substring(0, colon).replace("[", "").replace("]", "");
            return new InetSocketAddress(h, Integer.parseInt(text.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--http-addr: " + e.getMessage());
        }
    }

    private static String hostName() {
        try {
            String h = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.US_ASCII)
                    .strip();
            if (!h.isEmpty()) {
                return h;
            }
        } catch (IOException e) {
            // fall through
        }
        String env = System.getenv("HOSTNAME");
        return env == null || env.isBlank() ? "weft" : env;
    }

    @Override
    public Integer call() throws Exception {
        RouterConfig config = config();
        List<RouterComponent> components = RouterComponents.forLaunch(config, ipam, Optional.of(dataPlane()), cni);
        Router router;
        try {
            router = Router.start(config, components, discovery.membership(config.peers()));
        } catch (Exception e) {
            spec.commandLine().getErr().println("weft launch: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    router.close();
                    stopped.countDown();
                },
                "weft-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        spec.commandLine()
                .getOut()
                .println("weft router " + router.mesh().name() + " running; HTTP API on " + router.httpAddress()
                        + " (Ctrl-C to stop)");
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }

    @Override
    public String toString() {
        return "launch " + Arrays.toString(new Object[] {name, host, port});
    }
}
