package dev.weft.router.runtime;

import dev.weft.gossip.api.Environment;
import dev.weft.gossip.api.Mesh;
import dev.weft.gossip.api.PeerName;
import dev.weft.router.http.HttpApi;
import dev.weft.router.http.StatusSection;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** What router components get: configuration, identity, the mesh, the HTTP routes, status. */
public final class RouterContext {

    private final RouterConfig config;
    private final PeerName name;
    private final Environment environment;
    private final HttpApi http;
    private final List<StatusSection> sections = new CopyOnWriteArrayList<>();
    private volatile Mesh mesh;
    private volatile Function<PeerName, Map<String, String>> connectionOverlays = p -> null;

    RouterContext(RouterConfig config, PeerName name, Environment environment, HttpApi http) {
        this.config = config;
        this.name = name;
        this.environment = environment;
        this.http = http;
    }

    public RouterConfig config() {
        return config;
    }

    /** This router's peer name (known before the mesh starts). */
    public PeerName name() {
        return name;
    }

    /** Actors, clock and randomness for components. */
    public Environment environment() {
        return environment;
    }

    /** The router's state directory (exists). */
    public Path dataDir() {
        return config.dataDir();
    }

    /**
     * The running mesh.
     *
     * @throws IllegalStateException before the mesh is built (in {@link RouterComponent#overlays})
     */
    public Mesh mesh() {
        Mesh m = mesh;
        if (m == null) {
            throw new IllegalStateException("the mesh is not built yet");
        }
        return m;
    }

    void setMesh(Mesh m) {
        mesh = m;
    }

    /** The router's HTTP API: register your endpoints with {@link HttpApi#route}. */
    public HttpApi http() {
        return http;
    }

    /** Adds a section to {@code weft status} and {@code /report} (shown in registration order). */
    public void addStatusSection(StatusSection section) {
        sections.add(section);
    }

    /**
     * Sets where {@code weft status connections} finds, per remote peer, the overlay carrying the
     * connection's pod traffic: a map with {@code overlay}, {@code why} and further attributes, or
     * null when none is known. The data plane sets it; the function is called on HTTP threads.
     */
    public void setConnectionOverlays(Function<PeerName, Map<String, String>> overlays) {
        connectionOverlays = overlays;
    }

    /** The overlay carrying the connection to {@code peer} and why, or null (see {@link #setConnectionOverlays}). */
    public Map<String, String> connectionOverlay(PeerName peer) {
        return connectionOverlays.apply(peer);
    }

    List<StatusSection> sections() {
        return sections;
    }
}
