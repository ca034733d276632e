package dev.weft.router.internal.mesh;

import dev.weft.gossip.api.ConnectionInfo;
import dev.weft.gossip.api.MeshStatus;
import dev.weft.gossip.api.PeerInfo;
import dev.weft.router.http.StatusText;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** Renders mesh status as {@code weft status} prints it. */
final class MeshStatusText {

    private MeshStatusText() {}

    static String overview(MeshStatus s) {
        StringBuilder sb = new StringBuilder();
        sb.append(StatusText.line("Protocol", s.protocol()));
        sb.append(StatusText.line("Name", s.self().label()));
        sb.append(StatusText.line("Listen", address(s.listenAddress())));
        sb.append(StatusText.line("Encryption", s.encrypted() ? "enabled" : "disabled"));
        sb.append(StatusText.line("PeerDiscovery", s.discovery() ? "enabled" : "disabled"));
        sb.append(StatusText.line(
                "Targets",
                s.targets().stream().filter(MeshStatus.Target::direct).count()));
        long established = s.connections().stream()
                .filter(c -> c.state() == MeshStatus.ConnectionState.ESTABLISHED)
                .count();
        long pending = s.connections().size() - established;
        long connecting = s.targets().stream()
                .filter(t -> t.state() == MeshStatus.TargetState.CONNECTING)
                .count();
        long retrying = s.targets().stream()
                .filter(t -> t.state() == MeshStatus.TargetState.WAITING && t.attempts() > 0)
                .count();
        long failed = s.targets().stream()
                .filter(t -> t.state() == MeshStatus.TargetState.FAILED)
                .count();
        sb.append(StatusText.line(
                "Connections",
                String.format(
                        Locale.ROOT,
                        "%d (%d established, %d pending, %d connecting, %d retrying, %d failed)",
                        s.connections().size(),
                        established,
                        pending,
                        connecting,
                        retrying,
                        failed)));
        long reportedEstablished = 0;
        long reportedPending = 0;
        for (PeerInfo p : s.peers()) {
            for (ConnectionInfo c : p.connections()) {
                if (c.established()) {
                    reportedEstablished++;
                } else {
                    reportedPending++;
                }
            }
        }
        sb.append(StatusText.line(
                "Peers",
                s.peers().size() + " (with " + reportedEstablished + " established, " + reportedPending
                        + " pending connections)"));
        sb.append(StatusText.line("ConnectionLimit", s.connectionLimit() == 0 ? "unlimited" : s.connectionLimit()));
        return sb.toString().stripTrailing();
    }

    static String connections(MeshStatus s, Instant now) {
        return connections(s, now, p -> null);
    }

    /**
     * @param overlays per peer, the overlay carrying the connection and why ({@code overlay},
     *     {@code why}, attributes), or null: shown on a second line instead of the raw overlay text
     */
    static String connections(
            MeshStatus s,
            Instant now,
            java.util.function.Function<dev.weft.gossip.api.PeerName, java.util.Map<String, String>> overlays) {
        StringBuilder sb = new StringBuilder();
        for (MeshStatus.Connection c : s.connections()) {
            sb.append(String.format(
                    Locale.ROOT,
                    "%s %-21s %-11s %-11s %s(%s)",
                    c.outbound() ? "->" : "<-",
                    address(c.remoteAddress()),
                    c.state().name().toLowerCase(Locale.ROOT),
                    c.encrypted() ? "encrypted" : "unencrypted",
                    c.peer(),
                    c.nickname()));
            java.util.Map<String, String> o = overlays.apply(c.peer());
            if (o != null) {
                sb.append(String.format(
                        Locale.ROOT,
                        "%n     overlay %s: %s%s%n",
                        o.get("overlay"),
                        o.getOrDefault("why", ""),
                        attrs(o)));
            } else {
                sb.append(String.format(Locale.ROOT, "%s%n", c.overlay().isEmpty() ? "" : " " + c.overlay()));
            }
        }
        for (MeshStatus.Target t : s.targets()) {
            if (t.state() == MeshStatus.TargetState.CONNECTED) {
                continue;
            }
            sb.append(String.format(Locale.ROOT, "-> %-21s %s%n", t.address(), targetState(t, now)));
        }
        return sb.isEmpty() ? "no connections" : sb.toString().stripTrailing();
    }

    private static String attrs(java.util.Map<String, String> o) {
        StringBuilder sb = new StringBuilder();
        o.forEach((k, v) -> {
            if (!k.equals("peer") && !k.equals("overlay") && !k.equals("why")) {
                sb.append(sb.isEmpty() ? " (" : " ").append(k).append('=').append(v);
            }
        });
        return sb.isEmpty() ? "" : sb.append(')').toString();
    }

    static String targets(MeshStatus s, Instant now) {
        StringBuilder sb = new StringBuilder();
        for (MeshStatus.Target t : s.targets()) {
            sb.append(String.format(
                    Locale.ROOT,
                    "%-21s %-10s %s%n",
                    t.address(),
                    t.direct() ? "direct" : "discovered",
                    targetState(t, now)));
        }
        return sb.isEmpty() ? "no targets" : sb.toString().stripTrailing();
    }

    private static String targetState(MeshStatus.Target t, Instant now) {
        return switch (t.state()) {
            case CONNECTED -> "connected";
            case CONNECTING -> "connecting";
            case FAILED -> "failed, " + t.lastError() + ", retry: never";
            case WAITING ->
                t.attempts() == 0 && t.lastError().isEmpty()
                        ? "waiting" + next(t.nextAttempt(), now)
                        : "retrying (" + t.lastError() + ", " + t.attempts() + " failed attempts)"
                                + next(t.nextAttempt(), now);
        };
    }

    private static String next(Instant at, Instant now) {
        if (at == null) {
            return "";
        }
        Duration in = Duration.between(now, at);
        return in.isNegative()
                ? ", next attempt now"
                : String.format(Locale.ROOT, ", next attempt in %.1fs", in.toMillis() / 1000.0);
    }

    static String peers(MeshStatus s) {
        StringBuilder sb = new StringBuilder();
        for (PeerInfo p : s.peers()) {
            sb.append(p.label());
            if (!p.reachable() && !p.local()) {
                sb.append(" - unreachable");
            }
            sb.append('\n');
            for (ConnectionInfo c : p.connections()) {
                PeerInfo remote = s.peers().stream()
                        .filter(x -> x.name().equals(c.remote()))
                        .findFirst()
                        .orElse(null);
                sb.append(String.format(
                        Locale.ROOT,
                        "   %s %-21s %-30s %s%n",
                        c.outbound() ? "->" : "<-",
                        address(c.remoteAddress()),
                        remote == null ? c.remote().toString() : remote.label(),
                        c.established() ? "established" : "pending"));
            }
        }
        return sb.toString().stripTrailing();
    }

    private static String address(InetSocketAddress a) {
        if (a == null) {
            return "?";
        }
        String host =
                a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
