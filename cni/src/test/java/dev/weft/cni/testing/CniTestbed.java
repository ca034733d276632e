package dev.weft.cni.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.cni.api.CniConfig;
import dev.weft.cni.api.CniServer;
import dev.weft.cni.libcni.CniRuntime;
import dev.weft.cni.libcni.NetworkConfigList;
import dev.weft.cni.runtime.CniServers;
import dev.weft.cni.spi.AddressAllocator;
import dev.weft.cni.spi.PodPorts;
import dev.weft.linux.api.IpPrefix;
import dev.weft.linux.api.Link;
import dev.weft.linux.api.LinkSpec;
import dev.weft.linux.api.MacAddress;
import dev.weft.linux.api.NetNs;
import dev.weft.linux.api.RtNetlink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A node for CNI tests, made of network namespaces with a per-run prefix ("wc" + 4 hex + "-"):
 * a "host" namespace holding the bridge {@code weft} (10.32.0.1/24, MTU 1376) where the router's
 * kernel work happens, pod namespaces, and a router-side CNI server on a socket under a temporary
 * directory. Plugins run inside the host namespace (nsenter), as a runtime on that node would.
 * {@link #close()} stops the server and deletes every namespace of the run.
 */
public final class CniTestbed implements AutoCloseable {
    public static final String BRIDGE = "weft";
    public static final int BRIDGE_MTU = 1376;
    public static final String GATEWAY = "10.32.0.1";
    public static final String BRIDGE_MAC = "02:77:65:66:74:01";
    /** Where Debian's containernetworking-plugins live. */
    public static final Path DEBIAN_PLUGINS = Path.of("/usr/lib/cni");

    public final String prefix;
    public final Path root;
    public final NetNs host;
    public final RtNetlink hostRt;
    private AddressAllocator allocator;
    private final List<String> namespaces = new ArrayList<>();
    private final List<Path> extraPluginDirs = new ArrayList<>();
    private CniConfig config;
    private CniServer server;
    private PodPorts podPorts = PodPorts.BRIDGE;

    /** A testbed with the given IPAM, router started. */
    public CniTestbed(AddressAllocator allocator) throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "CNI kernel tests need root");
        byte[] r = new byte[2];
        new SecureRandom().nextBytes(r);
        this.prefix = "wc" + HexFormat.of().formatHex(r) + "-";
        this.root = Files.createTempDirectory(prefix);
        this.allocator = allocator;
        namespaces.add(prefix + "host");
        this.host = NetNs.create(prefix + "host");
        this.hostRt = RtNetlink.open(host);
        // A fixed MAC, as the router gives its bridge: otherwise it follows its lowest port's.
        // The MTU is set after creation: only a change through ndo_change_mtu marks it "set by
        // user"; an MTU given at creation lets the bridge follow its ports (min of theirs, 1500
        // with none). The router must create its bridge the same way.
        hostRt.links()
                .create(LinkSpec.bridge(BRIDGE)
                        .mac(MacAddress.parse(BRIDGE_MAC))
                        .up());
        hostRt.links().setMtu(BRIDGE, BRIDGE_MTU);
        Link bridge = hostRt.links().get(BRIDGE);
        hostRt.addresses().add(bridge.index(), IpPrefix.parse(GATEWAY + "/24"));
        hostRt.links().setUp("lo");
        this.config = CniConfig.defaults().under(root).withHostNetns(host.path());
        startRouter();
    }

    /** The router's CNI configuration. */
    public CniConfig config() {
        return config;
    }

    /** Replaces the configuration (takes effect at the next start). */
    public void config(CniConfig c) {
        this.config = c;
    }

    /** Starts the router side (drains the DEL queue). */
    public void startRouter() throws IOException {
        if (server == null) {
            server = CniServers.start(config, allocator, podPorts);
        }
    }

    /** Where the router side plugs pods' host veths (takes effect at the next start). */
    public void podPorts(PodPorts ports) {
        this.podPorts = ports;
    }

    /** Stops the router side and starts it again with another IPAM (a restarted router). */
    public void restartRouter(AddressAllocator with) throws IOException {
        stopRouter();
        this.allocator = with;
        startRouter();
    }

    /** Stops the router side; the shim then sees it as down. */
    public void stopRouter() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** The running server, if any. */
    public Optional<CniServer> server() {
        return Optional.ofNullable(server);
    }

    /** Creates a pod namespace; returns its path. */
    public Path pod(String suffix) {
        String name = prefix + suffix;
        synchronized (namespaces) {
            namespaces.add(name);
        }
        NetNs.create(name).close();
        return NetNs.RUN_DIR.resolve(name);
    }

    /** Deletes a pod namespace early (as a runtime does before a late DEL). */
    public void deletePod(Path netns) {
        NetNs.delete(String.valueOf(netns.getFileName()));
    }

    /** Adds a directory to CNI_PATH (after the shim's, before Debian's). */
    public void addPluginDir(Path dir) {
        extraPluginDirs.add(dir);
    }

    /** The environment plugins inherit: PATH and where the shim finds the router. */
    public Map<String, String> inheritedEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("WEFT_CNI_SOCKET", config.socket().toString());
        env.put("WEFT_CNI_DEL_QUEUE", config.deleteQueue().toString());
        return env;
    }

    /**
     * CNI_PATH: the shim as the router installed it (from its jar, with the weft-ipam link),
     * extra dirs, Debian's plugins.
     */
    public List<Path> pluginPath() {
        List<Path> path = new ArrayList<>();
        path.add(config.binDir().orElseThrow());
        path.addAll(extraPluginDirs);
        path.add(DEBIAN_PLUGINS);
        return path;
    }

    /** A runtime executing plugins inside the host namespace, caching under the testbed root. */
    public CniRuntime runtime() {
        return new CniRuntime(pluginPath(), root.resolve("cni-cache"), inheritedEnv(), Optional.of(host.path()));
    }

    /** The conflist the router writes: Weft then portmap. */
    public NetworkConfigList weftAndPortmap(String cniVersion) throws IOException {
        return NetworkConfigList.parse(
                """
                {"cniVersion":"%s","name":"weft","plugins":[
                  {"type":"weft","bridge":"weft","hairpinMode":true},
                  {"type":"portmap","capabilities":{"portMappings":true},"snat":true}]}"""
                        .formatted(cniVersion));
    }

    /** A conflist with Weft alone. */
    public NetworkConfigList weftOnly(String cniVersion) throws IOException {
        return weftOnly(cniVersion, "");
    }

    /** A conflist with Weft alone and extra plugin keys (",\"mtu\":1400"). */
    public NetworkConfigList weftOnly(String cniVersion, String extra) throws IOException {
        return NetworkConfigList.parse(
                """
                {"cniVersion":"%s","name":"weft","plugins":[{"type":"weft","bridge":"weft"%s}]}"""
                        .formatted(cniVersion, extra));
    }

    /** rtnetlink inside a namespace (closed by the caller). */
    public static RtNetlink rtnetlink(Path netns) {
        NetNs ns = NetNs.open(netns);
        try {
            return RtNetlink.open(ns);
        } finally {
            ns.close(); // the socket stays in the namespace
        }
    }

    /** Links in the host namespace whose names start with Weft's host veth prefix. */
    public List<Link> hostVeths() {
        return hostRt.links().list().stream()
                .filter(l -> l.name().startsWith("vethwe"))
                .toList();
    }

    /** Runs a command inside a namespace; returns its exit status. Output goes to the test log. */
    public static int exec(Path netns, String... command) {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=" + netns));
        cmd.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            int rc = p.waitFor();
            if (rc != 0) {
                System.out.println(String.join(" ", cmd) + " -> " + rc + ": "
                        + new String(out, java.nio.charset.StandardCharsets.UTF_8));
            }
            return rc;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs a command inside a namespace and returns its output (stdout and stderr). */
    public static String output(Path netns, String... command) {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=" + netns));
        cmd.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        stopRouter();
        hostRt.close();
        host.close();
        List<String> all;
        synchronized (namespaces) {
            all = List.copyOf(namespaces);
        }
        for (String n : all) {
            try {
                NetNs.delete(n);
            } catch (RuntimeException e) {
                // keep cleaning
            }
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // temporary files only
        }
    }
}
