package dev.weft.cni.api;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the router serves CNI. {@link #defaults()} are the production values; tests change paths.
 *
 * @param socket the unix socket the shim connects to; default {@code /run/weft/cni.sock}
 *     (the shim's compiled-in default; the shim reads {@code WEFT_CNI_SOCKET} otherwise)
 * @param deleteQueue where the shim queues DELs while the router is down; default
 *     {@code /var/lib/weft/cni-del-queue} (shim: {@code WEFT_CNI_DEL_QUEUE})
 * @param stateDir where attachment records are kept; default {@code /var/lib/weft/cni}
 * @param confDir where the network configuration is written once the socket serves; default
 *     {@code /etc/cni/net.d}; empty: write none
 * @param confFile the configuration's file name; default {@code 10-weft.conflist}
 * @param networkName the network's name in the configuration; default {@code weft}
 * @param bridge the bridge pods are attached to; default {@code weft}
 * @param mtu the pods' MTU, bytes; empty (default): the bridge's MTU
 * @param chainPortmap put {@code portmap} after Weft in the written configuration (hostPort
 *     support); default true
 * @param confCniVersion the {@code cniVersion} the written configuration declares; default
 *     {@code 1.0.0}, which the portmap plugins distributions ship still understand
 * @param binDir where the shim is installed ({@code weft} and {@code weft-ipam}); default
 *     {@code /opt/cni/bin}; empty: install nothing
 * @param allocationTimeout how long an ADD waits for IPAM before answering code 11; default 30 s
 * @param delegateTimeout how long a delegated plugin may run; default 30 s
 * @param requestReadTimeout how long a shim may take to send its request; default 10 s
 * @param hostNetns the netns the bridge lives in (tests); empty (default): the router's own
 * @param deleteQueueRetry how often DELs queued while the router was down, and refused at start
 *     with "try again later" (IPAM not ready yet), are tried again; default 10 s
 * @param clusterRange the cluster's pod range (IPv4 CIDR, IPAM's): traffic of pods whose
 *     configuration has {@code ipMasq: true} is masqueraded when it leaves the node for a
 *     destination outside it (Weft's nftables table {@code ip weft}); empty (default): ipMasq is
 *     refused
 * @param confIpMasq the written configuration asks for {@code ipMasq: true}; default false
 */
public record CniConfig(
        Path socket,
        Path deleteQueue,
        Path stateDir,
        Optional<Path> confDir,
        String confFile,
        String networkName,
        String bridge,
        Optional<Integer> mtu,
        boolean chainPortmap,
        String confCniVersion,
        Optional<Path> binDir,
        Duration allocationTimeout,
        Duration delegateTimeout,
        Duration requestReadTimeout,
        Optional<Path> hostNetns,
        Duration deleteQueueRetry,
        Optional<String> clusterRange,
        boolean confIpMasq) {

    public CniConfig {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(deleteQueue, "deleteQueue");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(confDir, "confDir");
        Objects.requireNonNull(confFile, "confFile");
        Objects.requireNonNull(networkName, "networkName");
        Objects.requireNonNull(bridge, "bridge");
        Objects.requireNonNull(mtu, "mtu");
        Objects.requireNonNull(confCniVersion, "confCniVersion");
        Objects.requireNonNull(binDir, "binDir");
        Objects.requireNonNull(allocationTimeout, "allocationTimeout");
        Objects.requireNonNull(delegateTimeout, "delegateTimeout");
        Objects.requireNonNull(requestReadTimeout, "requestReadTimeout");
        Objects.requireNonNull(hostNetns, "hostNetns");
        Objects.requireNonNull(deleteQueueRetry, "deleteQueueRetry");
        Objects.requireNonNull(clusterRange, "clusterRange");
    }

    /** The production configuration. */
    public static CniConfig defaults() {
        Path root = Path.of(File.separator);
        return new CniConfig(
                root.resolve("run/weft/cni.sock"),
                root.resolve("var/lib/weft/cni-del-queue"),
                root.resolve("var/lib/weft/cni"),
                Optional.of(root.resolve("etc/cni/net.d")),
                "10-weft.conflist",
                "weft",
                "weft",
                Optional.empty(),
                true,
                "1.0.0",
                Optional.of(root.resolve("opt/cni/bin")),
                Duration.ofSeconds(30),
                Duration.ofSeconds(30),
                Duration.ofSeconds(10),
                Optional.empty(),
                Duration.ofSeconds(10),
                Optional.empty(),
                false);
    }

    /** A copy with every path under {@code root} and nothing installed or written outside it. */
    public CniConfig under(Path root) {
        return new CniConfig(
                root.resolve("run/cni.sock"),
                root.resolve("del-queue"),
                root.resolve("state"),
                Optional.of(root.resolve("net.d")),
                confFile,
                networkName,
                bridge,
                mtu,
                chainPortmap,
                confCniVersion,
                Optional.of(root.resolve("bin")),
                allocationTimeout,
                delegateTimeout,
                requestReadTimeout,
                hostNetns,
                deleteQueueRetry,
                clusterRange,
                confIpMasq);
    }

    /** A copy with another bridge. */
    public CniConfig withBridge(String name) {
        return new CniConfig(
                socket,
                deleteQueue,
                stateDir,
                confDir,
                confFile,
                networkName,
                name,
                mtu,
                chainPortmap,
                confCniVersion,
                binDir,
                allocationTimeout,
                delegateTimeout,
                requestReadTimeout,
                hostNetns,
                deleteQueueRetry,
                clusterRange,
                confIpMasq);
    }

    /** A copy whose bridge lives in another netns (tests). */
    public CniConfig withHostNetns(Path netns) {
        return new CniConfig(
                socket,
                deleteQueue,
                stateDir,
                confDir,
                confFile,
                networkName,
                bridge,
                mtu,
                chainPortmap,
                confCniVersion,
                binDir,
                allocationTimeout,
                delegateTimeout,
                requestReadTimeout,
                Optional.of(netns),
                deleteQueueRetry,
                clusterRange,
                confIpMasq);
    }

    /** A copy retrying queued DELs at another interval. */
    public CniConfig withDeleteQueueRetry(Duration every) {
        return new CniConfig(
                socket,
                deleteQueue,
                stateDir,
                confDir,
                confFile,
                networkName,
                bridge,
                mtu,
                chainPortmap,
                confCniVersion,
                binDir,
                allocationTimeout,
                delegateTimeout,
                requestReadTimeout,
                hostNetns,
                every,
                clusterRange,
                confIpMasq);
    }

    /** A copy with another allocation timeout. */
    public CniConfig withAllocationTimeout(Duration timeout) {
        return new CniConfig(
                socket,
                deleteQueue,
                stateDir,
                confDir,
                confFile,
                networkName,
                bridge,
                mtu,
                chainPortmap,
                confCniVersion,
                binDir,
                timeout,
                delegateTimeout,
                requestReadTimeout,
                hostNetns,
                deleteQueueRetry,
                clusterRange,
                confIpMasq);
    }

    /**
     * A copy that masquerades pods with {@code ipMasq: true} leaving {@code range}, and writes
     * {@code ipMasq: confIpMasq} into the configuration.
     */
    public CniConfig withMasquerade(String range, boolean confIpMasq) {
        return new CniConfig(
                socket,
                deleteQueue,
                stateDir,
                confDir,
                confFile,
                networkName,
                bridge,
                mtu,
                chainPortmap,
                confCniVersion,
                binDir,
                allocationTimeout,
                delegateTimeout,
                requestReadTimeout,
                hostNetns,
                deleteQueueRetry,
                Optional.of(range),
                confIpMasq);
    }
}
