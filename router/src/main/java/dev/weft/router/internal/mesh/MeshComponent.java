package dev.weft.router.internal.mesh;

import dev.weft.gossip.api.Mesh;
import dev.weft.gossip.api.MeshStatus;
import dev.weft.router.http.HttpApi;
import dev.weft.router.http.HttpApi.Request;
import dev.weft.router.http.HttpApi.Response;
import dev.weft.router.http.StatusSection;
import dev.weft.router.runtime.RouterComponent;
import dev.weft.router.runtime.RouterContext;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The mesh's part of the router's API: the {@code router} status section, {@code GET
 * /status/peers|connections|targets} (text, or JSON with {@code ?format=json} or {@code Accept:
 * application/json}) and {@code POST /connect?peer=a,b[&replace=true]} / {@code POST
 * /forget?peer=a,b}.
 */
public final class MeshComponent implements RouterComponent {

    private Mesh mesh;
    private InstantSource clock;

    @Override
    public String name() {
        return "mesh";
    }

    @Override
    public void start(RouterContext context) {
        this.mesh = context.mesh();
        this.clock = context.environment().clock();
        context.addStatusSection(new Section());
        HttpApi http = context.http();
        http.route("/status/peers", req -> view(req, MeshStatusText::peers, MeshReport::peers));
        http.route(
                "/status/connections",
                req -> view(
                        req,
                        s -> MeshStatusText.connections(s, clock.instant(), context::connectionOverlay),
                        s -> MeshReport.connections(s, context::connectionOverlay)));
        http.route(
                "/status/targets",
                req -> view(req, s -> MeshStatusText.targets(s, clock.instant()), MeshReport::targets));
        http.route("/connect", this::connect);
        http.route("/forget", this::forget);
    }

    private static CompletableFuture<Response> done(Response r) {
        return CompletableFuture.completedFuture(r);
    }

    private static boolean exact(Request req, String path) {
        return req.path().equals(path) || req.path().equals(path + "/");
    }

    private CompletableFuture<Response> view(
            Request req, Function<MeshStatus, String> text, Function<MeshStatus, Object> json) {
        if (!req.method().equals("GET")) {
            return done(Response.text(405, req.method() + " is not allowed on " + req.path() + " (allowed: GET)"));
        }
        // mesh.status() waits for the mesh actor: not on the HTTP event loop.
        return CompletableFuture.supplyAsync(() -> {
            MeshStatus s = mesh.status();
            return req.wantsJson()
                    ? Response.json(200, MeshReport.toJson(json.apply(s)))
                    : Response.text(200, text.apply(s));
        });
    }

    private static List<String> peers(Request req) {
        List<String> out = new ArrayList<>();
        for (String part : req.query().getOrDefault("peer", "").split("[,\\s]+")) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        return out;
    }

    private CompletableFuture<Response> connect(Request req) {
        if (!exact(req, "/connect")) {
            return done(Response.text(404, "no such endpoint: " + req.path()));
        }
        if (!req.method().equals("POST")) {
            return done(Response.text(405, req.method() + " is not allowed on /connect (allowed: POST)"));
        }
        List<String> peers = peers(req);
        boolean replace = Boolean.parseBoolean(req.query().getOrDefault("replace", "false"));
        if (peers.isEmpty() && !replace) {
            return done(Response.text(400, "no peer given: POST /connect?peer=host[:port][,host[:port]...]"));
        }
        List<String> bad = mesh.connect(peers, replace);
        if (!bad.isEmpty()) {
            return done(Response.text(400, "not connecting; invalid peers: " + String.join("; ", bad)));
        }
        return done(Response.text(
                200,
                "connecting to " + (peers.isEmpty() ? "nobody (direct targets cleared)" : String.join(", ", peers))));
    }

    private CompletableFuture<Response> forget(Request req) {
        if (!exact(req, "/forget")) {
            return done(Response.text(404, "no such endpoint: " + req.path()));
        }
        if (!req.method().equals("POST")) {
            return done(Response.text(405, req.method() + " is not allowed on /forget (allowed: POST)"));
        }
        List<String> peers = peers(req);
        if (peers.isEmpty()) {
            return done(Response.text(400, "no peer given: POST /forget?peer=host[:port][,host[:port]...]"));
        }
        mesh.forget(peers);
        return done(Response.text(200, "forgot " + String.join(", ", peers)));
    }

    /** The {@code router} section of {@code weft status}. */
    private final class Section implements StatusSection {
        @Override
        public String name() {
            return "router";
        }

        @Override
        public String text() {
            return MeshStatusText.overview(mesh.status());
        }

        @Override
        public Object report() {
            return MeshReport.overview(mesh.status());
        }
    }
}
