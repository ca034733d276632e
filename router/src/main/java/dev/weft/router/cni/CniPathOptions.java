package dev.weft.router.cni;

import dev.weft.cni.api.CniConfig;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where the router's CNI endpoint puts things on the host (a picocli mixin of {@code weft launch},
 * through {@link CniOptions}, and of {@code weft reset}, which removes them).
 */
public final class CniPathOptions {

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

    /** Where the network configuration goes, if anywhere. */
    Optional<Path> confDir() {
        return confDir.isEmpty() ? Optional.empty() : Optional.of(Path.of(confDir));
    }

    /** Where the plugin binaries go, if anywhere. */
    Optional<Path> binDir() {
        return binDir.isEmpty() ? Optional.empty() : Optional.of(Path.of(binDir));
    }

    /**
     * The CNI configuration with these paths and Weft's defaults otherwise: what {@code weft reset}
     * removes. Attachment records live under {@code dataDir/cni}, as {@link CniOptions#config} says.
     */
    public CniConfig hostState(Path dataDir) {
        CniConfig d = CniConfig.defaults();
        return new CniConfig(
                socket,
                deleteQueue,
                dataDir.resolve("cni"),
                confDir(),
                d.confFile(),
                d.networkName(),
                d.bridge(),
                d.mtu(),
                d.chainPortmap(),
                d.confCniVersion(),
                binDir(),
                d.allocationTimeout(),
                d.delegateTimeout(),
                d.requestReadTimeout(),
                d.hostNetns(),
                d.deleteQueueRetry(),
                d.clusterRange(),
                d.confIpMasq());
    }
}
