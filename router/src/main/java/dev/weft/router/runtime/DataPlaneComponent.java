package dev.weft.router.runtime;

import dev.weft.fastpath.api.FastPath;
import dev.weft.gossip.spi.Overlay;
import dev.weft.ipam.api.Ipam;
import dev.weft.router.http.StatusSection;
import dev.weft.router.internal.dataplane.AttachHttp;
import dev.weft.router.internal.dataplane.DataPlaneConfig;
import dev.weft.router.internal.dataplane.DataPlaneStatusText;
import dev.weft.router.internal.dataplane.PodAttacher;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The data plane as a router component: before the mesh is built it creates (or adopts) the
 * bridge, starts sleeve with its TAP on the bridge and the kernel fast path if configured, and
 * offers the overlay switch to the mesh; once the mesh runs it follows the mesh's routes and
 * serves {@code POST /attach?netns=NS}, {@code POST /detach?netns=NS}, {@code GET
 * /status/dataplane} and the {@code dataplane} status section. Runs in the router's network
 * namespace.
 */
public final class DataPlaneComponent implements RouterComponent {

    private final DataPlaneConfig config;
    private final Supplier<Optional<Ipam>> ipam;
    private volatile DataPlaneRuntime dataPlane;
    private ExecutorService attachThread;

    /**
     * @param ipam where {@code weft attach} gets addresses (IPAM's component, started before this
     *     one's {@link #start}); empty: attach answers 503
     */
    public DataPlaneComponent(DataPlaneConfig config, Supplier<Optional<Ipam>> ipam) {
        this.config = config;
        this.ipam = ipam;
    }

    @Override
    public String name() {
        return "dataplane";
    }

    @Override
    public List<Overlay> overlays(RouterContext context) {
        try {
            dataPlane = DataPlaneRuntime.start(context.name(), config, List.of());
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "cannot start the data plane (bridge " + config.bridge() + ", sleeve on UDP "
                            + config.sleeve().port() + ", TAP "
                            + config.sleeve().tapName() + "): " + e.getMessage(),
                    e);
        }
        return List.of(dataPlane.overlay());
    }

    @Override
    public void start(RouterContext context) {
        DataPlaneRuntime dp = dataPlane;
        if (dp == null) {
            throw new IllegalStateException("the data plane was not started before the mesh");
        }
        dp.attach(context.mesh());
        context.setConnectionOverlays(peer -> {
            String key = peer.toString();
            for (Map<String, String> c : dp.overlaySwitch().connections()) {
                if (key.equals(c.get("peer"))) {
                    return c;
                }
            }
            return null;
        });
        // attach/detach block on netlink and IPAM: one at a time, off the HTTP event loop
        attachThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "weft-attach");
            t.setDaemon(true);
            return t;
        });
        new AttachHttp(new PodAttacher(config.bridge(), config.mtu(), dp.fastPath()), ipam, attachThread)
                .register(context.http());
        context.http()
                .route(
                        "/status/dataplane",
                        req -> java.util.concurrent.CompletableFuture.supplyAsync(() -> req.wantsJson()
                                ? dev.weft.router.http.HttpApi.Response.json(200, DataPlaneStatusText.json(dp.status()))
                                : dev.weft.router.http.HttpApi.Response.text(
                                        200, DataPlaneStatusText.detail(dp.status()))));
        context.addStatusSection(new StatusSection() {
            @Override
            public String name() {
                return "dataplane";
            }

            @Override
            public String text() {
                return DataPlaneStatusText.overview(dp.status());
            }

            @Override
            public Object report() {
                Map<String, Object> s = dp.status();
                return s;
            }
        });
    }

    /** The kernel fast path once the data plane runs it (empty before {@link #overlays}, or off). */
    public Optional<FastPath> fastPath() {
        DataPlaneRuntime dp = dataPlane;
        return dp == null ? Optional.empty() : dp.fastPath();
    }

    /** The running data plane (tests), or null before {@link #overlays}. */
    public DataPlaneRuntime dataPlane() {
        return dataPlane;
    }

    @Override
    public void close() {
        if (attachThread != null) {
            attachThread.shutdownNow();
        }
        if (dataPlane != null) {
            dataPlane.close();
        }
    }
}
