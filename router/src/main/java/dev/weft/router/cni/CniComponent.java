package dev.weft.router.cni;

import dev.weft.cni.api.CniConfig;
import dev.weft.cni.api.CniServer;
import dev.weft.cni.spi.AllocationException;
import dev.weft.cni.spi.PodPorts;
import dev.weft.ipam.api.Ipam;
import dev.weft.router.ipam.CniAddressAllocator;
import dev.weft.router.runtime.RouterComponent;
import dev.weft.router.runtime.RouterContext;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CNI as a router component, after IPAM and the data plane (the bridge exists): serves the plugin
 * on its socket with addresses from IPAM ({@link CniWiring#start}), the node on the bridge as the
 * pods' gateway ({@link ExposingAllocator}). With {@code --no-cni} it does nothing.
 */
public final class CniComponent implements RouterComponent {

    private static final Logger log = LoggerFactory.getLogger(CniComponent.class);
    /** How long one attempt to expose the node waits for IPAM. */
    private static final Duration EXPOSE_ATTEMPT = Duration.ofSeconds(30);
    /** The pause between attempts that failed at once (no bridge, IPAM refusing). */
    private static final Duration EXPOSE_RETRY = Duration.ofSeconds(1);

    private final CniOptions options;
    private final String bridge;
    private final int podMtu;
    private final Supplier<Optional<Ipam>> ipam;
    private final PodPorts podPorts;

    private final Gate closed = new Gate();
    private CniServer server;
    private ExposingAllocator allocator;
    private Thread exposer;

    /**
     * @param bridge the data plane's bridge, which pods attach to
     * @param podMtu the data plane's pod MTU in bytes
     * @param ipam IPAM's component's service (started before this one)
     */
    public CniComponent(CniOptions options, String bridge, int podMtu, Supplier<Optional<Ipam>> ipam) {
        this(options, bridge, podMtu, ipam, PodPorts.BRIDGE);
    }

    /**
     * @param podPorts where pods' host veths go: the data plane's fast path when it takes pods
     *     ({@link FastPathPodPorts}), else the bridge
     */
    public CniComponent(
            CniOptions options, String bridge, int podMtu, Supplier<Optional<Ipam>> ipam, PodPorts podPorts) {
        this.options = options;
        this.bridge = bridge;
        this.podMtu = podMtu;
        this.ipam = ipam;
        this.podPorts = podPorts;
    }

    @Override
    public String name() {
        return "cni";
    }

    @Override
    public void start(RouterContext context) throws CniWiring.StartException {
        if (!options.enabled()) {
            return;
        }
        Ipam i = ipam.get()
                .orElseThrow(() -> new IllegalStateException("CNI needs IPAM, which is not running in this router"));
        CniConfig config;
        try {
            config = options.config(context.dataDir(), bridge, podMtu, i.range().toString());
        } catch (IllegalArgumentException e) {
            throw new CniWiring.StartException("bad CNI flags: " + e.getMessage(), e);
        }
        allocator = ExposingAllocator.open(
                new CniAddressAllocator(i, context.environment().clock(), Optional.empty()),
                config.bridge(),
                config.hostNetns());
        try {
            server = CniWiring.start(config, allocator, podPorts);
        } catch (CniWiring.StartException | RuntimeException e) {
            allocator.close();
            allocator = null;
            throw e;
        }
        InstantSource clock = context.environment().clock();
        exposer = Thread.ofPlatform().name("weft-expose").daemon().start(() -> exposeEarly(clock));
    }

    /**
     * Puts the node on the bridge as soon as IPAM can give it an address, so the node reaches the
     * pods before its first pod (the first ADD would do it otherwise). Retries until done or closed.
     */
    private void exposeEarly(InstantSource clock) {
        while (!closed.await(Duration.ZERO)) {
            try {
                allocator.expose(clock.instant().plus(EXPOSE_ATTEMPT));
                return;
            } catch (AllocationException e) {
                log.debug("not on the bridge yet: {}", e.getMessage());
            } catch (InterruptedException e) {
                return;
            }
            if (closed.await(EXPOSE_RETRY)) {
                return;
            }
        }
    }

    /** The running server, or null (tests). */
    public CniServer server() {
        return server;
    }

    @Override
    public void close() {
        closed.open();
        if (exposer != null) {
            exposer.interrupt();
        }
        if (server != null) {
            server.close();
        }
        if (allocator != null) {
            allocator.close();
        }
    }

    /** A one-way gate: closed until {@link #open}; waiting on it is interruptible. */
    private static final class Gate {
        private final CountDownLatch latch = new CountDownLatch(1);

        void open() {
            latch.countDown();
        }

        /** Waits up to {@code d}; true once open. */
        boolean await(Duration d) {
            try {
                return latch.await(d.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }
    }
}
