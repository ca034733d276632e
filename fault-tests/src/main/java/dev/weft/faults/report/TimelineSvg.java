package dev.weft.faults.report;

import dev.weft.faults.history.FaultWindow;
import dev.weft.faults.history.Fn;
import dev.weft.faults.history.History;
import dev.weft.faults.history.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Two inline SVG plots of a history: a timeline (one lane per node, a bar per operation from
 * invocation to completion coloured by outcome, shaded nemesis windows over the nodes they hit,
 * removed nodes greyed from their removal) and a latency scatter (latency against time, log
 * scale, nemesis windows shaded). Pure functions of the history.
 */
final class TimelineSvg {

    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 16;
    private static final int AXIS = 28;
    private static final int LANE = 40;

    private TimelineSvg() {}

    static String timeline(History h, int width) {
        List<String> nodes = h.nodes();
        List<String> fs = h.ops().stream().map(Op::f).distinct().sorted().toList();
        double end = Math.max(1e-9, h.endNanos() / 1e9);
        int plotW = width - LEFT - RIGHT;
        int height = TOP + LANE * Math.max(1, nodes.size()) + AXIS;
        StringBuilder s = new StringBuilder();
        s.append(String.format(
                Locale.ROOT,
                "<svg class=\"timeline\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "xmlns=\"http://www.w3.org/2000/svg\" font-family=\"sans-serif\" font-size=\"11\">%n",
                width,
                height,
                width,
                height));
        for (int i = 0; i < nodes.size(); i++) {
            int y = TOP + i * LANE;
            s.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>%n",
                    LEFT,
                    y,
                    plotW,
                    LANE - 2,
                    i % 2 == 0 ? "#f6f6f6" : "#fdfdfd"));
            s.append(String.format(
                    Locale.ROOT, "<text x=\"4\" y=\"%d\">%s</text>%n", y + LANE / 2 + 4, Html.esc(nodes.get(i))));
        }
        Map<String, Long> removed = h.removedNodes();
        removed.forEach((n, t) -> {
            int i = nodes.indexOf(n);
            double x = x(t / 1e9, end, plotW);
            s.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#999\" opacity=\"0.35\">"
                            + "<title>%s removed</title></rect>%n",
                    x,
                    TOP + i * LANE,
                    LEFT + plotW - x,
                    LANE - 2,
                    Html.esc(n)));
        });
        for (FaultWindow w : h.faults()) {
            double x1 = x(w.startNanos() / 1e9, end, plotW);
            double x2 = Math.max(x1 + 1.5, x(w.stopNanos() / 1e9, end, plotW));
            String title = String.format(
                    Locale.ROOT,
                    "%s %.2f..%.2f s: %s",
                    w.f(),
                    w.startNanos() / 1e9,
                    w.stopNanos() / 1e9,
                    w.description());
            if (w.nodes().isEmpty()) {
                s.append(String.format(
                        Locale.ROOT,
                        "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\" "
                                + "stroke-dasharray=\"4 3\"><title>%s</title></line>%n",
                        x1,
                        x1,
                        TOP - 4,
                        TOP + nodes.size() * LANE,
                        color(w.f()),
                        Html.esc(title)));
                s.append(String.format(
                        Locale.ROOT,
                        "<text x=\"%.1f\" y=\"%d\" fill=\"%s\">%s</text>%n",
                        x1 + 3,
                        TOP - 5,
                        color(w.f()),
                        Html.esc(w.f())));
                continue;
            }
            for (String n : w.nodes()) {
                int i = nodes.indexOf(n);
                if (i < 0) {
                    continue;
                }
                s.append(String.format(
                        Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\" opacity=\"0.28\">"
                                + "<title>%s</title></rect>%n",
                        x1,
                        TOP + i * LANE,
                        x2 - x1,
                        LANE - 2,
                        color(w.f()),
                        Html.esc(title)));
                s.append(String.format(
                        Locale.ROOT,
                        "<text x=\"%.1f\" y=\"%d\" fill=\"%s\" font-size=\"9\">%s</text>%n",
                        x1 + 2,
                        TOP + i * LANE + 9,
                        color(w.f()),
                        Html.esc(w.f())));
            }
        }
        double rowH = (LANE - 14.0) / Math.max(1, fs.size());
        for (Op o : h.ops()) {
            int i = nodes.indexOf(o.node());
            if (i < 0) {
                continue;
            }
            double y = TOP + i * LANE + 11 + fs.indexOf(o.f()) * rowH;
            double x1 = x(o.invokeNanos() / 1e9, end, plotW);
            double x2 = Math.max(x1 + 1.2, x(o.completeNanos() / 1e9, end, plotW));
            s.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s</title></rect>%n",
                    x1,
                    y,
                    x2 - x1,
                    Math.max(1.0, rowH - 1),
                    outcomeColor(o),
                    Html.esc(describe(o))));
        }
        axis(s, end, plotW, TOP + nodes.size() * LANE);
        legend(s, fs, width);
        s.append("</svg>\n");
        return s.toString();
    }

    static String latency(History h, int width) {
        int height = 220;
        int plotW = width - LEFT - RIGHT;
        int plotH = height - TOP - AXIS;
        double end = Math.max(1e-9, h.endNanos() / 1e9);
        double maxMs = Math.max(
                10,
                h.ops().stream().mapToDouble(o -> o.latencyNanos() / 1e6).max().orElse(10));
        double logMax = Math.log10(maxMs);
        StringBuilder s = new StringBuilder();
        s.append(String.format(
                Locale.ROOT,
                "<svg class=\"latency\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "xmlns=\"http://www.w3.org/2000/svg\" font-family=\"sans-serif\" font-size=\"11\">%n",
                width,
                height,
                width,
                height));
        s.append(String.format(
                Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fafafa\"/>%n",
                LEFT,
                TOP,
                plotW,
                plotH));
        for (FaultWindow w : h.faults()) {
            if (w.nodes().isEmpty()) {
                continue;
            }
            double x1 = x(w.startNanos() / 1e9, end, plotW);
            double x2 = Math.max(x1 + 1.5, x(w.stopNanos() / 1e9, end, plotW));
            s.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\" opacity=\"0.15\">"
                            + "<title>%s</title></rect>%n",
                    x1,
                    TOP,
                    x2 - x1,
                    plotH,
                    color(w.f()),
                    Html.esc(w.f() + " " + w.nodes())));
        }
        for (double ms = 1; ms <= maxMs * 1.0001; ms *= 10) {
            double y = TOP + plotH - Math.log10(ms) / logMax * plotH;
            s.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                            + "<text x=\"4\" y=\"%.1f\">%s ms</text>%n",
                    LEFT,
                    LEFT + plotW,
                    y,
                    y,
                    y + 4,
                    ms >= 1000
                            ? String.format(Locale.ROOT, "%.0fk", ms / 1000)
                            : String.format(Locale.ROOT, "%.0f", ms)));
        }
        for (Op o : h.ops()) {
            double ms = Math.max(1, o.latencyNanos() / 1e6);
            double cx = x(o.completeNanos() / 1e9, end, plotW);
            double cy = TOP + plotH - Math.log10(ms) / logMax * plotH;
            s.append(String.format(
                    Locale.ROOT,
                    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2\" fill=\"%s\"><title>%s</title></circle>%n",
                    cx,
                    cy,
                    outcomeColor(o),
                    Html.esc(describe(o))));
        }
        axis(s, end, plotW, TOP + plotH);
        s.append("</svg>\n");
        return s.toString();
    }

    private static void axis(StringBuilder s, double end, int plotW, int y) {
        double step = niceStep(end / 10);
        for (double t = 0; t <= end + 1e-9; t += step) {
            double x = x(t, end, plotW);
            s.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#888\"/>"
                            + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                    x,
                    x,
                    y,
                    y + 4,
                    x,
                    y + 16,
                    step < 1 ? String.format(Locale.ROOT, "%.1f", t) : String.format(Locale.ROOT, "%.0f s", t)));
        }
    }

    private static void legend(StringBuilder s, List<String> fs, int width) {
        List<String> items = new ArrayList<>(List.of("ok", "fail", "info"));
        int x = width - RIGHT - 150;
        for (int i = 0; i < items.size(); i++) {
            String c =
                    switch (items.get(i)) {
                        case "ok" -> "#2a9d2a";
                        case "fail" -> "#d62728";
                        default -> "#f0a000";
                    };
            s.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%d\" y=\"2\" width=\"10\" height=\"8\" fill=\"%s\"/><text x=\"%d\" y=\"10\">%s</text>%n",
                    x + i * 50,
                    c,
                    x + i * 50 + 13,
                    items.get(i)));
        }
        s.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"10\" fill=\"#555\">rows per lane: %s</text>%n",
                LEFT,
                Html.esc(String.join(", ", fs))));
    }

    static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-3))));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= raw) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static double x(double t, double end, int plotW) {
        return LEFT + t / end * plotW;
    }

    private static String outcomeColor(Op o) {
        return o.ok() ? "#2a9d2a" : o.failed() ? "#d62728" : "#f0a000";
    }

    static String color(String fault) {
        return switch (fault) {
            case Fn.PARTITION, Fn.ISOLATE -> "#1f77b4";
            case Fn.CUT -> "#9467bd";
            case Fn.LOSS -> "#8c564b";
            case Fn.KILL -> "#d62728";
            case Fn.PAUSE -> "#ff7f0e";
            case Fn.REMOVE -> "#444444";
            case Fn.HEAL -> "#2ca02c";
            default -> "#17becf";
        };
    }

    private static String describe(Op o) {
        return String.format(
                        Locale.ROOT,
                        "#%d %s %s on %s by %s: %.3f..%.3f s (%.1f ms) %s",
                        o.id(),
                        o.f(),
                        o.pod() == null ? "" : o.pod(),
                        o.node(),
                        o.process(),
                        o.invokeNanos() / 1e9,
                        o.completeNanos() / 1e9,
                        o.latencyNanos() / 1e6,
                        o.outcome().wire())
                + (o.result() == null ? "" : " " + o.result())
                + (o.error() == null ? "" : " (" + o.error() + ")")
                + (o.arg() == null || o.arg().isNull() ? "" : " arg " + o.arg());
    }
}
