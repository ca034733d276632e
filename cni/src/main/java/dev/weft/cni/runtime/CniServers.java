package dev.weft.cni.runtime;

import dev.weft.cni.api.CniConfig;
import dev.weft.cni.api.CniServer;
import dev.weft.cni.internal.install.ConfList;
import dev.weft.cni.internal.install.ShimInstaller;
import dev.weft.cni.internal.masq.NftMasquerade;
import dev.weft.cni.internal.masq.PodMasquerade;
import dev.weft.cni.internal.plumbing.NetlinkPodPlumbing;
import dev.weft.cni.internal.plumbing.PodPlumbing;
import dev.weft.cni.internal.server.AttachmentStore;
import dev.weft.cni.internal.server.CniHandler;
import dev.weft.cni.internal.server.CniSocketServer;
import dev.weft.cni.internal.server.DelegatePlugins;
import dev.weft.cni.internal.server.DeleteQueue;
import dev.weft.cni.internal.server.NodeContext;
import dev.weft.cni.internal.spec.CniException;
import dev.weft.cni.spi.AddressAllocator;
import dev.weft.cni.spi.PodPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the router's CNI endpoint with real clocks, threads and the kernel. */
public final class CniServers {
    private static final Logger log = LoggerFactory.getLogger(CniServers.class);

    private CniServers() {}

    /**
     * Installs the shim (if {@code binDir} is set), binds the socket, drains the DEL queue,
     * starts serving, then writes the network configuration (if {@code confDir} is set). Blocks
     * until all of that is done. The kernel side uses rtnetlink in {@code hostNetns} (or the
     * caller's namespace).
     */
    public static CniServer start(CniConfig config, AddressAllocator allocator) throws IOException {
        return start(config, allocator, PodPorts.BRIDGE);
    }

    /**
     * {@link #start(CniConfig, AddressAllocator)} with pods' host veths plugged where {@code ports}
     * says (the router's fast path when it takes pods; {@link PodPorts#BRIDGE}: all on the bridge).
     */
    public static CniServer start(CniConfig config, AddressAllocator allocator, PodPorts ports) throws IOException {
        NetlinkPodPlumbing plumbing = NetlinkPodPlumbing.open(config.hostNetns(), ports);
        try {
            return start(config, allocator, plumbing, plumbing::close);
        } catch (IOException | RuntimeException e) {
            plumbing.close();
            throw e;
        }
    }

    /** {@link #start(CniConfig, AddressAllocator)} with given plumbing, closed by {@code onClose}. */
    static CniServer start(CniConfig config, AddressAllocator allocator, PodPlumbing plumbing, Runnable onClose)
            throws IOException {
        if (config.binDir().isPresent()) {
            Path shim = ShimInstaller.install(config.binDir().get());
            log.info("installed the CNI plugin as {}", shim);
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cni-timer");
            t.setDaemon(true);
            return t;
        });
        AttachmentStore store = new AttachmentStore(config.stateDir());
        Optional<PodMasquerade> masquerade = masquerade(config, store);
        NodeContext node = new NodeContext(
                allocator,
                plumbing,
                store,
                new DelegatePlugins(config.delegateTimeout()),
                InstantSource.system(),
                config.allocationTimeout(),
                masquerade);
        CniSocketServer server = new CniSocketServer(
                config.socket(),
                new DeleteQueue(config.deleteQueue()),
                new CniHandler(node),
                config.requestReadTimeout(),
                timer,
                config.deleteQueueRetry());
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            timer.shutdownNow();
            masquerade.ifPresent(PodMasquerade::close);
            throw e;
        }
        Optional<Path> conf = Optional.empty();
        if (config.confDir().isPresent()) {
            conf = Optional.of(ConfList.write(config.confDir().get(), config.confFile(), ConfList.of(config)));
            log.info("wrote the CNI network configuration {}", conf.get());
        }
        Optional<Path> written = conf;
        return new CniServer() {
            @Override
            public Path socket() {
                return server.socket();
            }

            @Override
            public Optional<Path> confList() {
                return written;
            }

            @Override
            public void close() {
                try {
                    server.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    timer.shutdownNow();
                    masquerade.ifPresent(PodMasquerade::close);
                    onClose.run();
                }
            }
        };
    }

    /**
     * Weft's NAT table for pods with {@code ipMasq: true}, installed with the pods this router
     * attached earlier (their records), when the configuration has a cluster range. The table
     * outlives the router: pods keep running while it restarts (the bridge stays too), and their
     * new connections must still leave as the node. {@code weft reset} removes it.
     */
    private static Optional<PodMasquerade> masquerade(CniConfig config, AttachmentStore store) throws IOException {
        if (config.clusterRange().isEmpty()) {
            return Optional.empty();
        }
        NftMasquerade m = NftMasquerade.of(config.clusterRange().get(), config.hostNetns());
        List<Inet4Address> pods = store.all().stream()
                .map(NodeContext::masqueraded)
                .flatMap(Optional::stream)
                .toList();
        try {
            m.install(pods);
        } catch (CniException e) {
            if (config.confIpMasq() || !pods.isEmpty()) {
                // pods rely on it: better no CNI than pods silently without NAT
                throw new IOException(e.getMessage() + " (or launch with --no-masquerade)", e);
            }
            log.warn("pods cannot be masqueraded (ipMasq will be refused): {}", e.getMessage());
            return Optional.empty();
        }
        log.info("masquerading pods with ipMasq leaving {} ({} pods so far)", m.clusterRange(), pods.size());
        return Optional.of(m);
    }
}
