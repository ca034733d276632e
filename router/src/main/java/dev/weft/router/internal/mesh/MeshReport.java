package dev.weft.router.internal.mesh;

import dev.weft.gossip.api.ConnectionInfo;
import dev.weft.gossip.api.MeshStatus;
import dev.weft.gossip.api.PeerInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Mesh status as JSON-friendly maps ({@code /report}, {@code Accept: application/json}). */
final class MeshReport {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper()
                    .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);

    private MeshReport() {}

    /** Renders maps, lists and scalars as indented JSON. */
    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON: " + e.getMessage(), e);
        }
    }

    static Map<String, Object> overview(MeshStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", s.protocol());
        m.put("name", s.self().name().toString());
        m.put("nickname", s.self().nickname());
        m.put("uid", s.self().uid().toString());
        m.put("listen", String.valueOf(s.listenAddress()));
        m.put("encryption", s.encrypted());
        m.put("peerDiscovery", s.discovery());
        m.put("connectionLimit", s.connectionLimit());
        m.put("connections", connections(s, p -> null));
        m.put("targets", targets(s));
        m.put("peers", peers(s));
        return m;
    }

    /**
     * @param overlays per peer, the overlay carrying the connection and why ({@code overlay},
     *     {@code why}, attributes), or null
     */
    static List<Map<String, Object>> connections(
            MeshStatus s, java.util.function.Function<dev.weft.gossip.api.PeerName, Map<String, String>> overlays) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (MeshStatus.Connection c : s.connections()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("address", String.valueOf(c.remoteAddress()));
            m.put("outbound", c.outbound());
            m.put("state", c.state().name().toLowerCase(java.util.Locale.ROOT));
            m.put("peer", c.peer().toString());
            m.put("nickname", c.nickname());
            m.put("encrypted", c.encrypted());
            m.put("overlay", c.overlay());
            Map<String, String> o = overlays.apply(c.peer());
            if (o != null) {
                m.put("overlayInUse", o.get("overlay"));
                m.put("overlayWhy", o.get("why"));
                m.put("overlayDetails", o);
            }
            m.put("since", c.since().toString());
            out.add(m);
        }
        return out;
    }

    static List<Map<String, Object>> targets(MeshStatus s) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (MeshStatus.Target t : s.targets()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("address", t.address());
            m.put("direct", t.direct());
            m.put("state", t.state().name().toLowerCase(java.util.Locale.ROOT));
            m.put("lastError", t.lastError());
            m.put(
                    "nextAttempt",
                    t.nextAttempt() == null ? null : t.nextAttempt().toString());
            m.put("attempts", t.attempts());
            out.add(m);
        }
        return out;
    }

    static List<Map<String, Object>> peers(MeshStatus s) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (PeerInfo p : s.peers()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", p.name().toString());
            m.put("nickname", p.nickname());
            m.put("uid", p.uid().toString());
            m.put("shortId", p.shortId().map(x -> x.value()).orElse(null));
            m.put("version", p.version());
            m.put("reachable", p.reachable());
            m.put("local", p.local());
            List<Map<String, Object>> conns = new ArrayList<>();
            for (ConnectionInfo c : p.connections()) {
                Map<String, Object> cm = new LinkedHashMap<>();
                cm.put("remote", c.remote().toString());
                cm.put("address", String.valueOf(c.remoteAddress()));
                cm.put("outbound", c.outbound());
                cm.put("established", c.established());
                conns.add(cm);
            }
            m.put("connections", conns);
            out.add(m);
        }
        return out;
    }
}
