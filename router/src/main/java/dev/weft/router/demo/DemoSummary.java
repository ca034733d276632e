package dev.weft.router.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders a {@link DemoReport} as the summary {@code weft demo} prints. */
public final class DemoSummary {

    private DemoSummary() {}

    /** The pod's name without the run's prefix, e.g. {@code n1p0}. */
    static String label(DemoReport r, DemoReport.Pod p) {
        return p.netns().startsWith(r.prefix()) ? p.netns().substring(r.prefix().length()) : p.netns();
    }

    public static String render(DemoReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT,
                "Weft demo %s: %d routers, %d pods, %s%n",
                r.prefix(),
                r.nodes().size(),
                r.pods().size(),
                r.encrypted() ? "encrypted mesh (password)" : "unencrypted mesh (no password)"));
        sb.append("\nPeers\n");
        for (DemoReport.Node n : r.nodes()) {
            sb.append(String.format(
                    Locale.ROOT,
                    "  %-8s %s  netns %-12s underlay %-12s weft launch pid %d%n",
                    n.nickname(),
                    n.name(),
                    n.netns(),
                    n.underlayIp(),
                    n.pid()));
        }
        sb.append("\nConnections (as each router reports them: state, overlay carrying pod traffic, why)\n");
        for (DemoReport.Node n : r.nodes()) {
            for (DemoReport.Connection c : n.connections()) {
                sb.append(String.format(
                        Locale.ROOT,
                        "  %-8s -> %-8s %-11s %-8s %s%n",
                        n.nickname(),
                        c.peer(),
                        c.state(),
                        c.overlay(),
                        (c.why().isEmpty() ? "" : "(" + c.why() + ") ") + c.details()));
            }
        }
        sb.append("\nPods (addresses from IPAM, attached with weft attach)\n");
        for (DemoReport.Pod p : r.pods()) {
            sb.append(String.format(
                    Locale.ROOT,
                    "  %-6s on %-8s %-18s netns %s%n",
                    label(r, p),
                    r.nodes().get(p.node()).nickname(),
                    p.address(),
                    p.netns()));
        }
        sb.append(matrix(r));
        long bad = r.unreachable();
        int total = r.pings().size();
        List<Double> rtts = new ArrayList<>();
        for (DemoReport.Ping p : r.pings()) {
            if (p.reachable()) {
                rtts.add(p.avgMs());
            }
        }
        rtts.sort(null);
        String stats = rtts.isEmpty()
                ? ""
                : String.format(
                        Locale.ROOT, " (RTT median %.3f ms, max %.3f ms)", rtts.get(rtts.size() / 2), rtts.getLast());
        sb.append(String.format(
                Locale.ROOT,
                "%nResult: %d/%d pod pairs reachable%s%s%n",
                total - bad,
                total,
                stats,
                bad == 0 ? "" : ": " + bad + " UNREACHABLE"));
        return sb.toString();
    }

    /** Rows: from; columns: to; cells: average RTT in ms, {@code X} unreachable, {@code -} itself. */
    static String matrix(DemoReport r) {
        int n = r.pods().size();
        String[][] cell = new String[n][n];
        for (int i = 0; i < n; i++) {
            cell[i][i] = "-";
        }
        for (DemoReport.Ping p : r.pings()) {
            cell[p.from()][p.to()] = p.reachable() ? String.format(Locale.ROOT, "%.3f", p.avgMs()) : "X";
        }
        int width = 7;
        for (DemoReport.Pod p : r.pods()) {
            width = Math.max(width, label(r, p).length() + 1);
        }
        StringBuilder sb =
                new StringBuilder("\nReachability (ping from row to column, average RTT in ms; X: unreachable)\n");
        sb.append("  ").append(pad("", width));
        for (DemoReport.Pod p : r.pods()) {
            sb.append(' ').append(padLeft(label(r, p), width));
        }
        sb.append('\n');
        for (int i = 0; i < n; i++) {
            sb.append("  ").append(pad(label(r, r.pods().get(i)), width));
            for (int j = 0; j < n; j++) {
                sb.append(' ').append(padLeft(cell[i][j] == null ? "?" : cell[i][j], width));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }

    private static String padLeft(String s, int w) {
        return s.length() >= w ? s : " ".repeat(w - s.length()) + s;
    }
}
