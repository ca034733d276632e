package dev.weft.faults.runtime.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.faults.history.Fn;
import dev.weft.faults.history.HistoryWriter;
import dev.weft.faults.runtime.router.HttpReply;
import dev.weft.faults.runtime.router.Router;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the routers' own view of the world through their HTTP API and records it in the history
 * in the shapes the checkers expect ({@link Fn}): pod addresses held ({@code GET /ip}), peer name
 * and ring owners ({@code GET /status/ipam}), topology ({@code GET /status/peers}).
 *
 * <p>Thread-safety: may be called from several threads; the peer-name map is concurrent.
 */
final class Observer {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(8);

    private final HistoryWriter history;
    private final Map<String, String> nodeOfPeer = new ConcurrentHashMap<>();

    Observer(HistoryWriter history) {
        this.history = history;
    }

    /**
     * Records the router's peer name (IDENTIFY): the peer marked {@code local} in its mesh status
     * ({@code GET /status/peers}), else IPAM's {@code peer}; returns it or null.
     */
    String identify(Router r) {
        String node = r.node().name();
        HistoryWriter.Invocation inv = history.invoke("observer", node, Fn.IDENTIFY, null, null);
        String peer = "";
        HttpReply reply = r.httpJson("GET", "/status/peers", TIMEOUT);
        if (reply.success()) {
            try {
                JsonNode peers = JSON.readTree(reply.body());
                for (JsonNode p : peers.has("peers") ? peers.get("peers") : peers) {
                    if (p.path("local").asBoolean(false)) {
                        peer = p.path("name").asText("");
                    }
                }
            } catch (IOException e) {
                peer = "";
            }
        }
        if (peer.isEmpty()) {
            JsonNode status = json(inv, r.httpJson("GET", "/status/ipam", TIMEOUT));
            if (status == null) {
                return null;
            }
            peer = status.path("peer").asText("");
        }
        if (peer.isEmpty()) {
            inv.fail("no local peer in /status/peers and no peer in /status/ipam");
            return null;
        }
        nodeOfPeer.put(peer, node);
        inv.ok(JSON.createObjectNode().put("peer", peer));
        return peer;
    }

    /** Records the pods and addresses the router holds (READ). */
    void read(Router r) {
        HistoryWriter.Invocation inv = history.invoke("observer", r.node().name(), Fn.READ, null, null);
        JsonNode owned = json(inv, r.httpJson("GET", "/ip", TIMEOUT));
        if (owned == null) {
            return;
        }
        ObjectNode pods = JSON.createObjectNode();
        for (JsonNode e : owned.path("owned")) {
            JsonNode addrs = e.path("addrs");
            if (addrs.isArray() && !addrs.isEmpty()) {
                pods.put(e.path("containerid").asText(), addrs.get(0).asText());
            }
        }
        inv.ok(pods);
    }

    /** Records who owns the ring as the router sees it (RING), owners named by node. */
    void ring(Router r) {
        HistoryWriter.Invocation inv = history.invoke("observer", r.node().name(), Fn.RING, null, null);
        JsonNode status = json(inv, r.httpJson("GET", "/status/ipam", TIMEOUT));
        if (status == null) {
            return;
        }
        if (!status.path("owners").isArray() || status.path("owners").isEmpty()) {
            inv.fail("no ring yet (state " + status.path("state").asText("?") + ")");
            return;
        }
        Map<String, Long> owners = new TreeMap<>();
        for (JsonNode o : status.path("owners")) {
            String peer = o.path("peer").asText();
            owners.merge(
                    nodeName(peer, o.path("nickname").asText("")),
                    o.path("addresses").asLong(),
                    Long::sum);
        }
        ObjectNode v = JSON.createObjectNode();
        ObjectNode on = v.putObject("owners");
        owners.forEach(on::put);
        inv.ok(v);
    }

    /**
     * Records the topology as the router sees it (TOPOLOGY): for every peer it knows and can reach,
     * the peers it has established connections to, named by node. Unreachable peers (a removed
     * node the mesh has not forgotten yet) are left out: the checker judges the live mesh.
     */
    void topology(Router r) {
        HistoryWriter.Invocation inv = history.invoke("observer", r.node().name(), Fn.TOPOLOGY, null, null);
        JsonNode peers = json(inv, r.httpJson("GET", "/status/peers", TIMEOUT));
        if (peers == null) {
            return;
        }
        JsonNode list = peers.has("peers") ? peers.get("peers") : peers;
        ObjectNode topo = JSON.createObjectNode();
        for (JsonNode p : list) {
            if (!p.path("reachable").asBoolean(true)) {
                continue;
            }
            String name = nodeName(p.path("name").asText(), p.path("nickname").asText(""));
            TreeSet<String> conns = new TreeSet<>();
            for (JsonNode c : p.path("connections")) {
                if (c.path("established").asBoolean(true)) {
                    conns.add(nodeName(c.path("remote").asText(c.path("name").asText()), ""));
                }
            }
            var a = topo.putArray(name);
            conns.forEach(a::add);
        }
        inv.ok(sorted(topo));
    }

    /** The node a peer runs on: known from IDENTIFY, else its nickname (the node's host name), else the peer name. */
    private String nodeName(String peer, String nickname) {
        String n = nodeOfPeer.get(peer);
        if (n != null) {
            return n;
        }
        return nickname.matches("n\\d+") ? nickname : peer;
    }

    private static ObjectNode sorted(ObjectNode o) {
        ObjectNode s = JSON.createObjectNode();
        new TreeMap<String, JsonNode>(Map.ofEntries(o.properties().toArray(Map.Entry[]::new))).forEach(s::set);
        return s;
    }

    /** The reply's JSON body, or null after completing {@code inv} as failed or unknown. */
    private static JsonNode json(HistoryWriter.Invocation inv, HttpReply reply) {
        if (!reply.success()) {
            if (reply.certainlyFailed()) {
                inv.fail(reply.describe());
            } else {
                inv.info(reply.describe());
            }
            return null;
        }
        try {
            return JSON.readTree(reply.body());
        } catch (IOException e) {
            inv.fail("not JSON: " + e.getMessage());
            return null;
        }
    }
}
