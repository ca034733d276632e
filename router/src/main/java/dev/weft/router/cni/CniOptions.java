package dev.weft.router.cni;

import dev.weft.cni.api.CniConfig;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Mixin;
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

    @Mixin
    CniPathOptions paths = new CniPathOptions();

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
                paths.socket,
                paths.deleteQueue,
                dataDir.resolve("cni"),
                paths.confDir(),
                d.confFile(),
                d.networkName(),
                bridge,
                Optional.of(podMtu),
                portmap,
                confVersion,
                paths.binDir(),
                d.allocationTimeout(),
                d.delegateTimeout(),
                d.requestReadTimeout(),
                d.hostNetns(),
                d.deleteQueueRetry(),
                Optional.of(clusterRange),
                masquerade);
    }
}
