package dev.weft.router.cni;

import dev.weft.cni.api.CniConfig;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The CNI flags of {@code weft launch} (a picocli mixin: {@code @Mixin CniOptions cni}).
 * {@link #config(Path)} turns them into the CNI module's configuration.
 */
public final class CniOptions {

    @Option(
            names = "--cni",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "Serve the CNI plugin (kubelet's pods) on the CNI socket (default: ${DEFAULT-VALUE}).")
    boolean enabled;

    @Option(
            names = "--cni-socket",
            paramLabel = "PATH",
            defaultValue = "/run/weft/cni.sock",
            description = "The unix socket the CNI plugin talks to; root only (default: ${DEFAULT-VALUE})."
                    + " The plugin finds another one through WEFT_CNI_SOCKET.")
    Path socket;

    @Option(
            names = "--cni-del-queue",
            paramLabel = "DIR",
            defaultValue = "/var/lib/weft/cni-del-queue",
            description = "Where the plugin queues DELs while the router is down; drained at start"
                    + " (default: ${DEFAULT-VALUE}; the plugin reads WEFT_CNI_DEL_QUEUE).")
    Path deleteQueue;

    @Option(
            names = "--cni-conf-dir",
            paramLabel = "DIR",
            defaultValue = "/etc/cni/net.d",
            description = "Where 10-weft.conflist is written once the socket serves; empty: write none"
                    + " (default: ${DEFAULT-VALUE}).")
    String confDir;

    @Option(
            names = "--cni-bin-dir",
            paramLabel = "DIR",
            defaultValue = "/opt/cni/bin",
            description = "Where the plugin binaries weft and weft-ipam are installed at start; empty: install"
                    + " none (default: ${DEFAULT-VALUE}).")
    String binDir;

    @Option(
            names = "--cni-portmap",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "Chain portmap after Weft in the written configuration, for hostPort"
                    + " (default: ${DEFAULT-VALUE}).")
    boolean portmap;

    @Option(
            names = "--cni-conf-version",
            paramLabel = "VERSION",
            defaultValue = "1.0.0",
            description = "The cniVersion of the written configuration; 1.1.0 enables GC and STATUS when the"
                    + " node's portmap supports it (default: ${DEFAULT-VALUE}).")
    String confVersion;

    @Option(
            names = "--masquerade",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "Write ipMasq: true into the CNI configuration: pods' traffic leaving the cluster's"
                    + " range (--ipalloc-range) gets this node's address as source, through Weft's nftables"
                    + " table ip weft (needs nft); traffic between pods keeps theirs (default: ${DEFAULT-VALUE}).")
    boolean masquerade;

    /** Whether the router serves CNI at all. */
    public boolean enabled() {
        return enabled;
    }

    /**
     * The CNI configuration; attachment records live under {@code dataDir/cni}.
     *
     * @param bridge the bridge pods attach to (the data plane's, {@code --bridge})
     * @param podMtu the pods' MTU in bytes (the data plane's, {@code --mtu})
     * @param clusterRange IPAM's range (IPv4 CIDR): pods' traffic to it is never masqueraded
     *
     * @throws IllegalArgumentException for a configuration version Weft does not speak
     */
    public CniConfig config(Path dataDir, String bridge, int podMtu, String clusterRange) {
        if (!confVersion.matches("0\\.3\\.0|0\\.3\\.1|0\\.4\\.0|1\\.0\\.0|1\\.1\\.0")) {
            throw new IllegalArgumentException(
                    "--cni-conf-version " + confVersion + " is not one of 0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0");
        }
        CniConfig d = CniConfig.defaults();
        return new CniConfig(
                socket,
                deleteQueue,
                dataDir.resolve("cni"),
                confDir.isEmpty() ? Optional.empty() : Optional.of(Path.of(confDir)),
                d.confFile(),
                d.networkName(),
                bridge,
                Optional.of(podMtu),
                portmap,
                confVersion,
                binDir.isEmpty() ? Optional.empty() : Optional.of(Path.of(binDir)),
                d.allocationTimeout(),
                d.delegateTimeout(),
                d.requestReadTimeout(),
                d.hostNetns(),
                d.deleteQueueRetry(),
                Optional.of(clusterRange),
                masquerade);
    }
}
