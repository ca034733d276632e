package dev.weft.router.internal.dataplane;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.weft.fastpath.api.FastPathStatus;
import dev.weft.router.http.StatusText;
import dev.weft.sleeve.api.Drop;
import dev.weft.sleeve.api.SleeveStatus;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders the data plane's status map ({@code DataPlaneRuntime.status()}: bridge, mtu,
 * connections, fastPath, sleeve, macs, captured, delivered, relayed, forwardingDrops) for {@code
 * weft status} and {@code weft status dataplane}.
 */
public final class DataPlaneStatusText {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DataPlaneStatusText() {}

    /** The {@code dataplane} section of {@code weft status}. */
    public static String overview(Map<String, Object> s) {
        StringBuilder sb = new StringBuilder();
        sb.append(StatusText.line("Bridge", s.get("bridge") + " (pod MTU " + s.get("mtu") + ")"));
        sb.append(StatusText.line("FastPath", fastPath(s.get("fastPath"))));
        if (s.get("sleeve") instanceof SleeveStatus sl) {
            sb.append(StatusText.line(
                    "Sleeve",
                    "UDP " + sl.port() + ", TAP " + sl.tap() + ", " + sl.links().size() + " links"));
        }
        List<?> conns = (List<?>) s.get("connections");
        StringBuilder per = new StringBuilder();
        for (Object o : conns) {
            Map<?, ?> c = (Map<?, ?>) o;
            per.append(per.isEmpty() ? "" : ", ")
                    .append(c.get("peer"))
                    .append(' ')
                    .append(c.get("overlay"));
        }
        sb.append(StatusText.line("Connections", conns.size() + (per.isEmpty() ? "" : " (" + per + ")")));
        sb.append(StatusText.line(
                "Frames",
                String.format(
                        Locale.ROOT,
                        "%s captured, %s delivered, %s relayed, %d dropped",
                        s.get("captured"),
                        s.get("delivered"),
                        s.get("relayed"),
                        drops(s.get("forwardingDrops")) + sleeveDrops(s.get("sleeve")))));
        sb.append(StatusText.line("MACs", s.get("macs")));
        return sb.toString().stripTrailing();
    }

    /** {@code weft status dataplane}: the overview, then each connection and sleeve link, then drops. */
    public static String detail(Map<String, Object> s) {
        StringBuilder sb = new StringBuilder(overview(s)).append("\n\n");
        for (Object o : (List<?>) s.get("connections")) {
            sb.append(connection((Map<?, ?>) o)).append('\n');
        }
        if (s.get("fastPath") instanceof FastPathStatus f) {
            for (FastPathStatus.Link l : f.links()) {
                sb.append(String.format(
                        Locale.ROOT,
                        "fastpath %s %-15s %-9s heartbeats sent %d, acknowledged %d, received %d; %d failures%s%n",
                        l.peer(),
                        l.remote(),
                        l.state(),
                        l.heartbeatsSent(),
                        l.acksReceived(),
                        l.heartbeatsReceived(),
                        l.failures(),
                        l.reason().isEmpty() ? "" : "; " + l.reason()));
            }
        }
        if (s.get("sleeve") instanceof SleeveStatus sl) {
            for (SleeveStatus.Link l : sl.links()) {
                sb.append(String.format(
                        Locale.ROOT,
                        "sleeve %012x %-21s %-18s %-12s pmtu %d, frames up to %d; rx %d msgs %d B, tx %d msgs %d B%n",
                        l.peer(),
                        l.remote(),
                        l.cipher().displayName(),
                        l.state(),
                        l.pathMtu(),
                        l.frameMtu(),
                        l.rxMessages(),
                        l.rxBytes(),
                        l.txMessages(),
                        l.txBytes()));
            }
            sl.drops().forEach((d, n) -> {
                if (n > 0) {
                    sb.append("sleeve dropped ").append(n).append(' ').append(d).append('\n');
                }
            });
        }
        if (s.get("forwardingDrops") instanceof Map<?, ?> m) {
            m.forEach((d, n) -> {
                if (n instanceof Long l && l > 0) {
                    sb.append("forwarder dropped ")
                            .append(l)
                            .append(' ')
                            .append(d)
                            .append('\n');
                }
            });
        }
        return sb.toString().stripTrailing();
    }

    /** One connection: {@code PEER OVERLAY (why: ...) key=value ...}. */
    public static String connection(Map<?, ?> c) {
        StringBuilder sb = new StringBuilder();
        sb.append(c.get("peer")).append(' ').append(c.get("overlay"));
        Object why = c.get("why");
        if (why != null) {
            sb.append(" (").append(why).append(')');
        }
        c.forEach((k, v) -> {
            if (!"peer".equals(k) && !"overlay".equals(k) && !"why".equals(k)) {
                sb.append(' ').append(k).append('=').append(v);
            }
        });
        return sb.toString();
    }

    private static String fastPath(Object f) {
        if (f instanceof FastPathStatus s) {
            return s.summary(); // driver, port, healthy links, why the others are not, ODP counters
        }
        return String.valueOf(f);
    }

    private static long drops(Object o) {
        long n = 0;
        if (o instanceof Map<?, ?> m) {
            for (Object v : m.values()) {
                if (v instanceof Long l) {
                    n += l;
                }
            }
        }
        return n;
    }

    private static long sleeveDrops(Object o) {
        long n = 0;
        if (o instanceof SleeveStatus sl) {
            for (Map.Entry<Drop, Long> e : sl.drops().entrySet()) {
                n += e.getValue();
            }
        }
        return n;
    }

    /** The status as JSON. */
    public static String json(Map<String, Object> s) {
        try {
            return JSON.writeValueAsString(s) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the data plane status: " + e.getMessage(), e);
        }
    }
}
