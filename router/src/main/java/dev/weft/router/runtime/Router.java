package dev.weft.router.runtime;

import dev.weft.gossip.api.Mesh;
import dev.weft.gossip.api.MeshConfig;
import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.runtime.MeshRuntime;
import dev.weft.gossip.runtime.PeerNames;
import dev.weft.gossip.runtime.RealEnvironment;
import dev.weft.gossip.spi.Membership;
import dev.weft.gossip.spi.NullOverlay;
import dev.weft.gossip.spi.Overlay;
import dev.weft.router.cli.WeftVersion;
import dev.weft.router.http.HttpApi;
import dev.weft.router.http.StatusSection;
import dev.weft.router.http.StatusText;
import dev.weft.router.internal.mesh.MeshComponent;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running router: its peer identity, the mesh, the components and the HTTP API. Built by {@code
 * weft launch}; tests build several in one JVM on loopback ports.
 *
 * <p>Wiring order: identity, then each component's overlays, the mesh (with the overlay), the HTTP
 * API, then each component's start (channels, HTTP routes, status sections). Until a component has
 * started, its paths answer 404.
 */
public final class Router implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Router.class);

    private final RouterContext context;
    private final RealEnvironment env;
    private final Mesh mesh;
    private final List<RouterComponent> components;
    private final HttpApi http;

    private Router(
            RouterContext context, RealEnvironment env, Mesh mesh, List<RouterComponent> components, HttpApi http) {
        this.context = context;
        this.env = env;
        this.mesh = mesh;
        this.components = components;
        this.http = http;
    }

    /**
     * The components every router has, in start order; {@code weft launch} adds these to its list.
     * Other modules' components (IPAM, data plane, CNI) go after them.
     */
    public static List<RouterComponent> coreComponents() {
        return List.of(new MeshComponent());
    }

    /**
     * Starts a router.
     *
     * @throws Exception with a clear message if anything cannot start (port in use, bad data dir,
     *     a component failing); whatever started is stopped again
     */
    public static Router start(RouterConfig config, List<RouterComponent> components) throws Exception {
        return start(config, components, null);
    }

    /**
     * Starts a router whose mesh also takes discovery hints from {@code membership} (null: none),
     * which the mesh starts and closes.
     */
    public static Router start(RouterConfig config, List<RouterComponent> components, Membership membership)
            throws Exception {
        Files.createDirectories(config.dataDir());
        PeerName name = config.name() != null
                ? config.name()
                : PeerNames.loadOrCreate(config.dataDir(), PeerNames.defaultMachineIdFiles());
        RealEnvironment env = new RealEnvironment(2);
        HttpApi http = null;
        List<RouterComponent> started = new ArrayList<>();
        Mesh mesh = null;
        try {
            http = HttpApi.start(config.httpAddress());
            RouterContext ctx = new RouterContext(config, name, env, http);
            List<Overlay> overlays = new ArrayList<>();
            for (RouterComponent c : components) {
                overlays.addAll(c.overlays(ctx));
            }
            if (overlays.size() > 1) {
                throw new IllegalStateException("more than one overlay offered ("
                        + overlays.stream().map(Overlay::name).toList() + "): combine them in an overlay switch");
            }
            Overlay overlay = overlays.isEmpty() ? new NullOverlay() : overlays.getFirst();
            MeshConfig mc = MeshConfig.defaults(name, config.nickname())
                    .withConnectionLimit(config.connectionLimit())
                    .withDiscovery(config.discovery())
                    .withDefaultPort(config.port() == 0 ? MeshConfig.DEFAULT_PORT : config.port());
            mesh = MeshRuntime.start(
                    mc,
                    MeshRuntime.Options.of(config.meshAddress(), config.password()),
                    overlay,
                    membership,
                    env,
                    config.peers());
            ctx.setMesh(mesh);
            addCoreRoutes(ctx);
            for (RouterComponent c : components) {
                c.start(ctx);
                started.add(c);
                log.debug("component {} started", c.name());
            }
            log.info(
                    "router {}({}) up: mesh on {}, HTTP API on {}",
                    name,
                    config.nickname(),
                    mesh.status().self() == null ? "?" : config.meshAddress(),
                    http.address());
            return new Router(ctx, env, mesh, started, http);
        } catch (Exception | Error e) {
            // every component, not only the started ones: overlays() may have made devices
            for (int i = components.size() - 1; i >= 0; i--) {
                closeQuietly(components.get(i));
            }
            if (mesh != null) {
                mesh.close();
            }
            if (http != null) {
                http.close();
            }
            env.close();
            throw e;
        }
    }

    private static void addCoreRoutes(RouterContext ctx) {
        HttpApi http = ctx.http();
        http.route("/status", req -> {
            if (!req.path().equals("/status") && !req.path().equals("/status/")) {
                return done(HttpApi.Response.text(404, "no such status view: " + req.path()));
            }
            if (!req.method().equals("GET")) {
                return done(HttpApi.Response.text(405, req.method() + " is not allowed on /status (allowed: GET)"));
            }
            return CompletableFuture.supplyAsync(() -> {
                if (req.wantsJson()) {
                    return HttpApi.Response.json(200, json(report(ctx)));
                }
                StringBuilder sb = new StringBuilder();
                sb.append(StatusText.line("Version", "weft " + WeftVersion.version()));
                boolean ready = true;
                for (StatusSection s : ctx.sections()) {
                    sb.append('\n')
                            .append(StatusText.line("Service", s.name()))
                            .append(s.text())
                            .append('\n');
                    ready &= s.ready();
                }
                return HttpApi.Response.text(ready ? 200 : 503, sb.toString());
            });
        });
        http.route(
                "/report", req -> CompletableFuture.supplyAsync(() -> HttpApi.Response.json(200, json(report(ctx)))));
    }

    private static CompletableFuture<HttpApi.Response> done(HttpApi.Response r) {
        return CompletableFuture.completedFuture(r);
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper()
                    .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> report(RouterContext ctx) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("version", WeftVersion.version());
        boolean ready = true;
        for (StatusSection s : ctx.sections()) {
            r.put(s.name(), s.report());
            ready &= s.ready();
        }
        r.put("ready", ready);
        return r;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            log.warn("closing {} failed: {}", c, e.toString());
        }
    }

    /** The mesh. */
    public Mesh mesh() {
        return mesh;
    }

    /** The HTTP API's bound address. */
    public java.net.InetSocketAddress httpAddress() {
        return http.address();
    }

    public RouterContext context() {
        return context;
    }

    /** Stops the HTTP API, the components (in reverse), the mesh. Idempotent enough. */
    @Override
    public void close() {
        http.close();
        for (int i = components.size() - 1; i >= 0; i--) {
            closeQuietly(components.get(i));
        }
        mesh.close();
        env.close();
        log.info("router stopped");
    }
}
