package dev.weft.cni.internal.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Renders {@link Result}s in the format of each supported spec version and reads results (a
 * {@code prevResult}, a delegate's answer) back. Stateless and thread-safe.
 *
 * <p>Formats: 0.3.0, 0.3.1 and 0.4.0 carry {@code "version": "4"|"6"} in each {@code ips} entry;
 * 1.0.0 drops it; only 1.1.0 has interface {@code mtu}/{@code socketPath}/{@code pciID} and route
 * {@code mtu}/{@code advmss}/{@code priority}/{@code table}/{@code scope}.
 */
public final class ResultCodec {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ResultCodec() {}

    /** The result as the given version writes it, with {@code cniVersion} set to it. */
    public static ObjectNode render(Result result, CniVersion version) {
        ObjectNode out = JSON.objectNode();
        out.put("cniVersion", version.text());
        boolean v11 = version.atLeast(CniVersion.V1_1_0);
        boolean legacy = !version.atLeast(CniVersion.V1_0_0);
        if (!result.interfaces().isEmpty()) {
            ArrayNode interfaces = out.putArray("interfaces");
            for (Result.Interface i : result.interfaces()) {
                ObjectNode o = interfaces.addObject();
                o.put("name", i.name());
                i.mac().ifPresent(m -> o.put("mac", m));
                if (v11) {
                    i.mtu().ifPresent(m -> o.put("mtu", m));
                }
                i.sandbox().ifPresent(s -> o.put("sandbox", s));
                if (v11) {
                    i.socketPath().ifPresent(s -> o.put("socketPath", s));
                    i.pciId().ifPresent(s -> o.put("pciID", s));
                }
            }
        }
        if (!result.ips().isEmpty()) {
            ArrayNode ips = out.putArray("ips");
            for (Result.IpConfig ip : result.ips()) {
                ObjectNode o = ips.addObject();
                if (legacy) {
                    o.put("version", ip.address().isV4() ? "4" : "6");
                }
                ip.interfaceIndex().ifPresent(i -> o.put("interface", i));
                o.put("address", ip.address().toString());
                ip.gateway().ifPresent(g -> o.put("gateway", g.getHostAddress()));
            }
        }
        if (!result.routes().isEmpty()) {
            ArrayNode routes = out.putArray("routes");
            for (Result.Route r : result.routes()) {
                ObjectNode o = routes.addObject();
                o.put("dst", r.dst().toString());
                r.gw().ifPresent(g -> o.put("gw", g.getHostAddress()));
                if (v11) {
                    r.mtu().ifPresent(m -> o.put("mtu", m));
                    r.advmss().ifPresent(m -> o.put("advmss", m));
                    r.priority().ifPresent(m -> o.put("priority", m));
                    r.table().ifPresent(m -> o.put("table", m));
                    r.scope().ifPresent(m -> o.put("scope", m));
                }
            }
        }
        result.dns().filter(d -> !d.isEmpty()).ifPresent(d -> out.set("dns", renderDns(d)));
        return out;
    }

    /**
     * Our result appended to a previous plugin's, at the JSON level so that nothing the previous
     * plugin wrote is lost: interfaces, ips (with indices shifted) and routes are appended, DNS is
     * kept from {@code prev} when it has any.
     */
    public static ObjectNode append(ObjectNode prev, Result ours, CniVersion version) {
        ObjectNode out = prev.deepCopy();
        out.put("cniVersion", version.text());
        ObjectNode rendered = render(ours, version);
        int offset = out.path("interfaces").size();
        appendArray(out, rendered, "interfaces");
        if (rendered.get("ips") instanceof ArrayNode ips) {
            for (JsonNode ip : ips) {
                if (ip.has("interface")) {
                    ((ObjectNode) ip).put("interface", ip.get("interface").asInt() + offset);
                }
            }
        }
        appendArray(out, rendered, "ips");
        appendArray(out, rendered, "routes");
        if (!out.path("dns").isObject() || out.path("dns").isEmpty()) {
            if (rendered.has("dns")) {
                out.set("dns", rendered.get("dns"));
            }
        }
        return out;
    }

    private static void appendArray(ObjectNode out, ObjectNode rendered, String key) {
        JsonNode add = rendered.get(key);
        if (add == null || add.isEmpty()) {
            return;
        }
        JsonNode existing = out.get(key);
        ArrayNode target = existing instanceof ArrayNode a ? a : out.putArray(key);
        target.addAll((ArrayNode) add);
    }

    /**
     * Reads a result written in any supported format.
     *
     * @throws CniException code 6 naming the field that is not what a result contains
     */
    public static Result parse(JsonNode node, String what) throws CniException {
        if (!node.isObject()) {
            throw decode(what + " is not a JSON object");
        }
        List<Result.Interface> interfaces = new ArrayList<>();
        for (JsonNode i : array(node, "interfaces", what)) {
            interfaces.add(new Result.Interface(
                    text(i, "name", what + ".interfaces[].name")
                            .orElseThrow(() -> decode(what + ".interfaces[] entry without a name")),
                    text(i, "mac", what + ".interfaces[].mac"),
                    integer(i, "mtu", what + ".interfaces[].mtu"),
                    text(i, "sandbox", what + ".interfaces[].sandbox"),
                    text(i, "socketPath", what + ".interfaces[].socketPath"),
                    text(i, "pciID", what + ".interfaces[].pciID")));
        }
        List<Result.IpConfig> ips = new ArrayList<>();
        for (JsonNode ip : array(node, "ips", what)) {
            Optional<Integer> index = integer(ip, "interface", what + ".ips[].interface");
            if (index.isPresent() && (index.get() < 0 || index.get() >= interfaces.size())) {
                throw decode(what + ".ips[].interface " + index.get() + " does not index an interface");
            }
            ips.add(new Result.IpConfig(
                    prefix(ip, "address", what + ".ips[].address")
                            .orElseThrow(() -> decode(what + ".ips[] entry without an address")),
                    address(ip, "gateway", what + ".ips[].gateway"),
                    index));
        }
        List<Result.Route> routes = new ArrayList<>();
        for (JsonNode r : array(node, "routes", what)) {
            routes.add(new Result.Route(
                    prefix(r, "dst", what + ".routes[].dst")
                            .orElseThrow(() -> decode(what + ".routes[] entry without dst")),
                    address(r, "gw", what + ".routes[].gw"),
                    integer(r, "mtu", what + ".routes[].mtu"),
                    integer(r, "advmss", what + ".routes[].advmss"),
                    integer(r, "priority", what + ".routes[].priority"),
                    integer(r, "table", what + ".routes[].table"),
                    integer(r, "scope", what + ".routes[].scope")));
        }
        Optional<Result.Dns> dns =
                node.has("dns") ? Optional.of(parseDns(node.get("dns"), what + ".dns")) : Optional.empty();
        return new Result(interfaces, ips, routes, dns);
    }

    /** Reads a {@code dns} object ({@code nameservers}, {@code domain}, {@code search}, {@code options}). */
    public static Result.Dns parseDns(JsonNode node, String what) throws CniException {
        if (!node.isObject()) {
            throw decode(what + " is not a JSON object");
        }
        return new Result.Dns(
                strings(node, "nameservers", what),
                text(node, "domain", what + ".domain"),
                strings(node, "search", what),
                strings(node, "options", what));
    }

    static ObjectNode renderDns(Result.Dns d) {
        ObjectNode o = JSON.objectNode();
        if (!d.nameservers().isEmpty()) {
            d.nameservers().forEach(o.putArray("nameservers")::add);
        }
        d.domain().ifPresent(v -> o.put("domain", v));
        if (!d.search().isEmpty()) {
            d.search().forEach(o.putArray("search")::add);
        }
        if (!d.options().isEmpty()) {
            d.options().forEach(o.putArray("options")::add);
        }
        return o;
    }

    private static List<String> strings(JsonNode node, String key, String what) throws CniException {
        List<String> out = new ArrayList<>();
        for (JsonNode s : array(node, key, what)) {
            if (!s.isTextual()) {
                throw decode(what + "." + key + " must be a list of strings");
            }
            out.add(s.asText());
        }
        return out;
    }

    private static Iterable<JsonNode> array(JsonNode node, String key, String what) throws CniException {
        JsonNode a = node.get(key);
        if (a == null || a.isNull()) {
            return List.of();
        }
        if (!a.isArray()) {
            throw decode(what + "." + key + " is not a list");
        }
        return a;
    }

    private static Optional<String> text(JsonNode node, String key, String what) throws CniException {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw decode(what + " is not a string");
        }
        return Optional.of(v.asText());
    }

    private static Optional<Integer> integer(JsonNode node, String key, String what) throws CniException {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw decode(what + " is not an integer");
        }
        return Optional.of(v.asInt());
    }

    private static Optional<IpPrefix> prefix(JsonNode node, String key, String what) throws CniException {
        Optional<String> t = text(node, key, what);
        if (t.isEmpty()) {
            return Optional.empty();
        }
        try {
            String s = t.get();
            if (s.indexOf('/') < 0) {
                throw new IllegalArgumentException("\"" + s + "\" has no prefix length");
            }
            return Optional.of(IpPrefix.parse(s));
        } catch (IllegalArgumentException e) {
            throw decode(what + ": " + e.getMessage());
        }
    }

    private static Optional<InetAddress> address(JsonNode node, String key, String what) throws CniException {
        Optional<String> t = text(node, key, what);
        if (t.isEmpty() || t.get().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(IpPrefix.parseAddress(t.get()));
        } catch (IllegalArgumentException e) {
            throw decode(what + ": " + e.getMessage());
        }
    }

    private static CniException decode(String message) {
        return new CniException(CniErrorCode.DECODING_FAILURE, message);
    }
}
