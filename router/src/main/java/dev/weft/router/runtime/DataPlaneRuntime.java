package dev.weft.router.runtime;

import dev.weft.fastpath.api.FastPath;
import dev.weft.fastpath.api.FastPathConfig;
import dev.weft.fastpath.runtime.FastPathRuntime;
import dev.weft.gossip.api.Cancellable;
import dev.weft.gossip.api.Mesh;
import dev.weft.gossip.api.PeerInfo;
import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.spi.Overlay;
import dev.weft.linux.api.RtNetlink;
import dev.weft.router.internal.dataplane.Bridge;
import dev.weft.router.internal.dataplane.DataPlaneConfig;
import dev.weft.router.internal.dataplane.Forwarder;
import dev.weft.router.internal.dataplane.MacTable;
import dev.weft.router.internal.dataplane.OverlaySwitch;
import dev.weft.router.internal.dataplane.PeerRoutes;
import dev.weft.router.internal.dataplane.PodAttacher;
import dev.weft.sleeve.api.Frame;
import dev.weft.sleeve.api.Lane;
import dev.weft.sleeve.api.Sleeve;
import dev.weft.sleeve.runtime.SleeveRuntime;
import dev.weft.sleeve.spi.FrameHandler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's data plane, wired: the bridge, sleeve's TAP port on it, the forwarder (MAC
 * learning, unicast, flooding, relaying) and the overlay switch the mesh prepares connections
 * with. Runs in the calling thread's network namespace.
 *
 * <p>Use: {@link #start}, give {@link #overlay()} to the mesh builder, then {@link #attach} the
 * built mesh so routes reach the forwarder.
 */
public final class DataPlaneRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DataPlaneRuntime.class);

    private final PeerName self;
    private final DataPlaneConfig config;
    private final Sleeve sleeve;
    private final OverlaySwitch overlays;
    private final Forwarder forwarder;
    private final MacTable macs;
    private final FastPath fastPath;
    private final String fastPathState;
    private final ScheduledExecutorService timers;
    private final List<Cancellable> registrations = new ArrayList<>();
    private volatile Mesh mesh;

    private DataPlaneRuntime(
            PeerName self,
            DataPlaneConfig config,
            Sleeve sleeve,
            OverlaySwitch overlays,
            Forwarder forwarder,
            MacTable macs,
            FastPath fastPath,
            String fastPathState) {
        this.self = self;
        this.config = config;
        this.sleeve = sleeve;
        this.overlays = overlays;
        this.forwarder = forwarder;
        this.macs = macs;
        this.fastPath = fastPath;
        this.fastPathState = fastPathState;
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "weft-dataplane");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Creates (or adopts) the bridge, starts sleeve and puts its TAP on the bridge, then the kernel
     * fast path when {@link DataPlaneConfig#fastPath()} asks for one (the Open vSwitch datapath if
     * the kernel has it, else a VXLAN device on the bridge); a fast path that cannot start is
     * logged and left out: sleeve carries everything.
     *
     * @param fastOverlays further overlays preferred over sleeve (after the kernel fast path), most
     *     preferred first
     */
    public static DataPlaneRuntime start(PeerName self, DataPlaneConfig config, List<Overlay> fastOverlays) {
        MacTable macs = new MacTable(config.macMaxAge().toNanos(), TimeUnit.SECONDS.toNanos(10));
        Handler handler = new Handler();
        Sleeve sleeve = SleeveRuntime.start(self.value(), config.sleeve(), handler);
        try (RtNetlink nl = RtNetlink.open()) {
            Bridge.ensure(nl.links(), config.bridge(), config.mtu());
            Bridge.attach(nl.links(), config.bridge(), sleeve.status().tap(), config.mtu());
        } catch (RuntimeException e) {
            sleeve.close();
            throw e;
        }
        FastPath fastPath = null;
        String fastPathState = "off (--no-fastdp)";
        Optional<FastPathConfig> fp = config.fastPathOn(sleeve.status().tap());
        if (fp.isPresent()) {
            try {
                fastPath = FastPathRuntime.start(fp.get());
                fastPathState = fastPath.driver();
            } catch (RuntimeException e) {
                fastPathState = "unavailable: " + e.getMessage();
                log.warn("data plane: no kernel fast path, sleeve carries everything: {}", e.toString());
            }
        }
        if (fastPath == null) {
            // no ODP driver this run: a killed run's datapath would strand the pods plugged into it
            releaseLeftoverDatapath(fp.orElseGet(() -> FastPathConfig.defaults()
                    .withBridge(config.bridge())
                    .withMtu(config.mtu())
                    .withSleevePort(sleeve.status().tap())));
        } else {
            // pods left on the bridge (by a clean stop, or attached without the ODP driver)
            List<String> plugged = PodAttacher.plugBridgedPods(config.bridge(), fastPath);
            if (!plugged.isEmpty()) {
                log.info("data plane: pods moved from bridge {} into the fast path: {}", config.bridge(), plugged);
            }
        }
        List<Overlay> all = new ArrayList<>();
        if (fastPath != null) {
            all.add(fastPath.overlay());
        }
        all.addAll(fastOverlays);
        all.add(sleeve.overlay());
        OverlaySwitch sw = new OverlaySwitch(all, sleeve);
        Forwarder fwd = new Forwarder(self.value(), macs, sw, System::nanoTime);
        handler.target = fwd;
        log.info(
                "data plane: bridge {} (mtu {}), overlays {}",
                config.bridge(),
                config.mtu(),
                all.stream().map(Overlay::name).toList());
        return new DataPlaneRuntime(self, config, sleeve, sw, fwd, macs, fastPath, fastPathState);
    }

    private static void releaseLeftoverDatapath(FastPathConfig fp) {
        try {
            List<String> moved = FastPathRuntime.releaseLeftoverDatapath(fp);
            if (!moved.isEmpty()) {
                log.info("data plane: pods moved out of a leftover datapath onto bridge {}: {}", fp.bridge(), moved);
            }
        } catch (RuntimeException e) {
            log.warn(
                    "data plane: could not remove the leftover datapath {} (pods plugged into it stay cut off): {}",
                    fp.datapath(),
                    e.toString());
        }
    }

    /** Forwards to the forwarder once it exists (sleeve starts before it). */
    private static final class Handler implements FrameHandler {
        volatile Forwarder target;

        @Override
        public void captured(Lane lane, Frame frame) {
            Forwarder f = target;
            if (f != null) {
                f.captured(lane, frame);
            }
        }

        @Override
        public void received(Lane lane, long fromPeer, long srcPeer, long dstPeer, boolean flood, Frame frame) {
            Forwarder f = target;
            if (f != null) {
                f.received(lane, fromPeer, srcPeer, dstPeer, flood, frame);
            }
        }
    }

    /** The overlay to build the mesh with. */
    public Overlay overlay() {
        return overlays;
    }

    public OverlaySwitch overlaySwitch() {
        return overlays;
    }

    public Sleeve sleeve() {
        return sleeve;
    }

    public Forwarder forwarder() {
        return forwarder;
    }

    /** The kernel fast path, if it runs. */
    public Optional<FastPath> fastPath() {
        return Optional.ofNullable(fastPath);
    }

    public DataPlaneConfig config() {
        return config;
    }

    /** Follows {@code m}'s routes from now on and sweeps stale MAC addresses every minute. */
    public void attach(Mesh m) {
        this.mesh = m;
        registrations.add(m.addRoutesListener(this::refreshRoutes, timers));
        timers.execute(this::refreshRoutes);
        timers.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.MINUTES);
    }

    private void refreshRoutes() {
        Mesh m = mesh;
        if (m == null) {
            return;
        }
        try {
            List<PeerName> peers =
                    m.topology().peers().stream().map(PeerInfo::name).toList();
            forwarder.routes(PeerRoutes.of(self, peers, m.routes()));
        } catch (RuntimeException e) {
            log.warn("data plane: could not refresh routes: {}", e.toString());
        }
    }

    private void sweep() {
        PeerRoutes r = forwarder.routes();
        int n = macs.sweep(System.nanoTime(), peer -> peer != self.value() && r.name(peer) == null);
        if (n > 0) {
            log.debug("data plane: forgot {} MAC addresses", n);
        }
    }

    /** What status shows: per connection the overlay in use and why; sleeve's links and drops. */
    public Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("bridge", config.bridge());
        s.put("mtu", config.mtu());
        s.put("connections", overlays.connections());
        s.put("fastPath", fastPath != null ? fastPath.status() : fastPathState);
        s.put("sleeve", sleeve.status());
        s.put("macs", macs.size());
        s.put("captured", forwarder.capturedFrames());
        s.put("delivered", forwarder.deliveredFrames());
        s.put("relayed", forwarder.relayedFrames());
        s.put("forwardingDrops", forwarder.drops());
        return s;
    }

    @Override
    public void close() {
        registrations.forEach(Cancellable::cancel);
        timers.shutdownNow();
        overlays.stop();
        if (fastPath != null) {
            fastPath.close();
        }
        sleeve.close();
    }
}
