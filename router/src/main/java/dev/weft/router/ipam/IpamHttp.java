package dev.weft.router.ipam;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.weft.ipam.api.Address;
import dev.weft.ipam.api.Cidr;
import dev.weft.ipam.api.ContainerId;
import dev.weft.ipam.api.Ipam;
import dev.weft.ipam.api.IpamException;
import dev.weft.router.http.HttpApi;
import dev.weft.router.http.HttpApi.Request;
import dev.weft.router.http.HttpApi.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * The IPAM part of the router's HTTP API (documented in {@code docs/api.md}): allocate, claim,
 * lookup, free, ring, leave and rmpeer, plus the IPAM status. Paths follow Weave Net's.
 */
public final class IpamHttp {

    /** How long an allocation or claim waits when the request sets no {@code timeout}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .registerModule(new com.fasterxml.jackson.databind.module.SimpleModule()
                    .addSerializer(Address.class, new com.fasterxml.jackson.databind.ser.std.ToStringSerializer())
                    .addSerializer(Cidr.class, new com.fasterxml.jackson.databind.ser.std.ToStringSerializer()));

    private final Ipam ipam;

    public IpamHttp(Ipam ipam) {
        this.ipam = ipam;
    }

    /** Registers every IPAM route on {@code api}. */
    public void register(HttpApi api) {
        api.route("/ip", this::ip);
        api.route("/ring", r -> only(r, "GET", () -> ipam.ring(timeout(r)).thenApply(v -> json(200, v))));
        api.route("/ipinfo", this::ipinfo);
        api.route("/peer", this::peer);
        api.route(
                "/status/ipam",
                r -> only(r, "GET", () -> ipam.status()
                        .thenApply(s -> r.wantsJson() ? json(200, s) : Response.text(200, IpamStatusText.render(s)))));
        api.route(
                "/metrics/ipam",
                r -> only(r, "GET", () -> ipam.status()
                        .thenApply(s -> new Response(200, IpamMetrics.CONTENT_TYPE, IpamMetrics.render(s)))));
    }

    private CompletableFuture<Response> ip(Request r) {
        return guard(() -> {
            List<String> parts = segments(r.path(), "/ip");
            String m = r.method();
            if (parts.isEmpty()) {
                return only(r, "GET", () -> ipam.owned().thenApply(owned -> {
                    List<Map<String, Object>> list = new ArrayList<>();
                    owned.forEach((id, addrs) -> {
                        Map<String, Object> e = new LinkedHashMap<>();
                        e.put("containerid", id.value());
                        e.put("addrs", addrs.stream().map(Cidr::toString).toList());
                        list.add(e);
                    });
                    return json(200, Map.of("owned", list));
                }));
            }
            ContainerId id = ContainerId.of(parts.getFirst());
            if (parts.size() == 1) {
                return switch (m) {
                    case "POST" ->
                        ipam.allocate(id, Optional.empty(), timeout(r)).thenApply(IpamHttp::cidr);
                    case "GET" ->
                        ipam.lookup(id)
                                .thenApply(l -> l.isEmpty()
                                        ? Response.text(404, "no addresses for " + id)
                                        : Response.text(
                                                200,
                                                String.join(
                                                        " ",
                                                        l.stream()
                                                                .map(Cidr::toString)
                                                                .toList())));
                    case "DELETE" ->
                        ipam.free(id)
                                .thenApply(l -> Response.text(
                                        200,
                                        l.isEmpty()
                                                ? "no addresses for " + id + " (nothing to free)"
                                                : "freed "
                                                        + String.join(
                                                                " ",
                                                                l.stream()
                                                                        .map(Cidr::toString)
                                                                        .toList())));
                    default -> notAllowed(r, "GET, POST, DELETE");
                };
            }
            if (parts.size() == 2 && m.equals("DELETE")) {
                Address a = Address.parse(parts.get(1));
                return ipam.free(id, a)
                        .thenApply(freed -> freed
                                ? Response.text(200, "freed " + a)
                                : Response.text(404, id + " does not hold " + a));
            }
            if (parts.size() == 3) {
                Cidr c = new Cidr(Address.parse(parts.get(1)), Cidr.parsePrefix(parts.get(2)));
                return switch (m) {
                    case "POST" -> {
                        if (!c.isSubnet()) {
                            throw IpamException.badRequest(
                                    c + " is not a subnet: host bits are set (did you mean " + c.subnet() + "?)");
                        }
                        yield ipam.allocate(id, Optional.of(c), timeout(r)).thenApply(IpamHttp::cidr);
                    }
                    case "PUT" -> ipam.claim(id, c, timeout(r)).thenApply(IpamHttp::cidr);
                    default -> notAllowed(r, "POST, PUT");
                };
            }
            return CompletableFuture.completedFuture(
                    Response.text(404, "no such endpoint: " + r.path() + " (see docs/api.md)"));
        });
    }

    private CompletableFuture<Response> ipinfo(Request r) {
        return only(r, "GET", () -> switch (r.path()) {
            case "/ipinfo/defaultsubnet" ->
                CompletableFuture.completedFuture(
                        Response.text(200, ipam.defaultSubnet().toString()));
            case "/ipinfo/range" ->
                CompletableFuture.completedFuture(
                        Response.text(200, ipam.range().toString()));
            default -> CompletableFuture.completedFuture(Response.text(404, "no such endpoint: " + r.path()));
        });
    }

    private CompletableFuture<Response> peer(Request r) {
        return guard(() -> {
            if (!r.method().equals("DELETE")) {
                return notAllowed(r, "DELETE");
            }
            List<String> parts = segments(r.path(), "/peer");
            if (parts.isEmpty()) {
                return ipam.leave(flag(r, "force")).thenApply(s -> Response.text(200, s));
            }
            if (parts.size() == 1) {
                return ipam.removePeer(parts.getFirst(), flag(r, "take-all")).thenApply(s -> Response.text(200, s));
            }
            return CompletableFuture.completedFuture(Response.text(404, "no such endpoint: " + r.path()));
        });
    }

    private static Response cidr(Cidr c) {
        return Response.text(200, c.toString());
    }

    private static boolean flag(Request r, String name) {
        String v = r.query().get(name);
        if (v == null || v.equals("false")) {
            return false;
        }
        if (v.isEmpty() || v.equals("true")) {
            return true;
        }
        throw IpamException.badRequest(name + " must be true or false, got \"" + v + "\"");
    }

    /** Parses {@code ?timeout=} as 250ms, 30s, 2m (default 30 s, at most 10 min). */
    static Duration timeout(Request r) {
        String t = r.query().get("timeout");
        if (t == null) {
            return DEFAULT_TIMEOUT;
        }
        Duration d = parseDuration(t);
        if (d.compareTo(Duration.ofMinutes(10)) > 0) {
            throw IpamException.badRequest("timeout " + t + " is longer than 10m");
        }
        return d;
    }

    static Duration parseDuration(String t) {
        String num;
        Function<Long, Duration> unit;
        if (t.endsWith("ms")) {
            num = t.substring(0, t.length() - 2);
            unit = Duration::ofMillis;
        } else if (t.endsWith("s")) {
            num = t.substring(0, t.length() - 1);
            unit = Duration::ofSeconds;
        } else if (t.endsWith("m")) {
            num = t.substring(0, t.length() - 1);
            unit = Duration::ofMinutes;
        } else {
            throw IpamException.badRequest("timeout \"" + t + "\" needs a unit: ms, s or m (e.g. 30s)");
        }
        if (num.isEmpty() || num.length() > 9 || !num.chars().allMatch(Character::isDigit)) {
            throw IpamException.badRequest("timeout \"" + t + "\" is not a whole number with a unit (e.g. 30s)");
        }
        return unit.apply(Long.parseLong(num));
    }

    private static List<String> segments(String path, String prefix) {
        String rest = path.substring(prefix.length());
        List<String> out = new ArrayList<>();
        for (String s : rest.split("/")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        if (!rest.isEmpty() && !rest.startsWith("/")) {
            throw IpamException.notFound("no such endpoint: " + path);
        }
        return out;
    }

    private static CompletableFuture<Response> only(
            Request r, String method, java.util.function.Supplier<CompletableFuture<Response>> f) {
        if (!r.method().equals(method)) {
            return notAllowed(r, method);
        }
        return guard(f);
    }

    private static CompletableFuture<Response> notAllowed(Request r, String allowed) {
        return CompletableFuture.completedFuture(
                Response.text(405, r.method() + " is not allowed on " + r.path() + " (allowed: " + allowed + ")"));
    }

    /** Runs {@code f}; IPAM errors (thrown or in the future) become 4xx/5xx responses with their message. */
    private static CompletableFuture<Response> guard(java.util.function.Supplier<CompletableFuture<Response>> f) {
        CompletableFuture<Response> out;
        try {
            out = f.get();
        } catch (IpamException e) {
            return CompletableFuture.completedFuture(Response.text(e.kind().httpStatus(), e.getMessage()));
        }
        return out.exceptionally(e -> {
            Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (t instanceof IpamException ie) {
                return Response.text(ie.kind().httpStatus(), ie.getMessage());
            }
            return Response.text(500, "internal error: " + t);
        });
    }

    private static Response json(int status, Object value) {
        try {
            return Response.json(status, JSON.writeValueAsString(value) + "\n");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Response.text(500, "cannot render JSON: " + e.getMessage());
        }
    }
}
