package dev.weft.faults.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.faults.check.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a report directory: {@code index.html} (per run: verdicts, a timeline of operations and
 * nemesis windows per node, a latency plot and table, anomalies, notes) and {@code summary.json}
 * (the totals and every verdict). The histories themselves are written by the runner into the
 * same directory and linked.
 */
public final class ReportWriter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportWriter() {}

    /** Writes the report for {@code runs} into {@code dir}; returns its summary. */
    public static Summary write(Path dir, List<ScenarioRun> runs) {
        Summary summary = Summary.of(runs);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("summary.json"), summaryJson(summary, runs), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("index.html"), html(summary, runs), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report in " + dir, e);
        }
        return summary;
    }

    static String summaryJson(Summary summary, List<ScenarioRun> runs) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("scenarios", summary.scenarios());
        o.put("runs", summary.runs());
        o.put("duplicates", summary.duplicates());
        o.put("lost", summary.lost());
        if (summary.maxHealSeconds() >= 0) {
            o.put("max_heal_s", summary.maxHealSeconds());
        } else {
            o.putNull("max_heal_s");
        }
        o.put("verdict", summary.verdict());
        o.put("line", summary.line());
        ArrayNode results = o.putArray("results");
        for (ScenarioRun r : runs) {
            ObjectNode ro = results.addObject();
            ro.put("scenario", r.scenario());
            ro.put("run", r.run());
            ro.put("seed", r.seed());
            ro.put("result", r.result().name());
            ro.put("history", r.historyFile());
            ro.put("duration_s", r.history().endNanos() / 1e9);
            ArrayNode notes = ro.putArray("notes");
            r.notes().forEach(notes::add);
            ArrayNode vs = ro.putArray("verdicts");
            for (Verdict v : r.verdicts()) {
                ObjectNode vo = vs.addObject();
                vo.put("checker", v.checker());
                vo.put("result", v.result().name());
                vo.put("summary", v.summary());
                ObjectNode fig = vo.putObject("figures");
                v.figures().forEach(fig::put);
                ArrayNode an = vo.putArray("anomalies");
                v.anomalies().forEach(an::add);
            }
            ArrayNode lat = ro.putArray("latency");
            for (LatencyStats l : LatencyStats.of(r.history())) {
                lat.add(JSON.valueToTree(l));
            }
        }
        return JSON.writeValueAsString(o) + "\n";
    }

    static String html(Summary summary, List<ScenarioRun> runs) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<title>Weft fault tests: ")
                .append(summary.verdict())
                .append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;")
                .append("margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;")
                .append("vertical-align:top}th{background:#eee}.PASS{color:#1a7f1a;font-weight:bold}")
                .append(".FAIL{color:#c00;font-weight:bold}.UNKNOWN,.INCOMPLETE{color:#b07000;font-weight:bold}")
                .append("section{border-top:2px solid #ccc;margin-top:2em}code{background:#f3f3f3}")
                .append(".num{text-align:right;font-variant-numeric:tabular-nums}\n</style></head><body>\n");
        h.append("<h1>Weft fault tests</h1>\n<p><code>")
                .append(Html.esc(summary.line()))
                .append("</code></p>\n");
        h.append("<table><tr><th>scenario</th><th>run</th><th>seed</th><th>result</th><th>checkers</th></tr>\n");
        for (ScenarioRun r : runs) {
            h.append("<tr><td><a href=\"#")
                    .append(anchor(r))
                    .append("\">")
                    .append(Html.esc(r.scenario()))
                    .append("</a></td><td class=\"num\">")
                    .append(r.run())
                    .append("</td><td class=\"num\">")
                    .append(r.seed())
                    .append("</td><td class=\"")
                    .append(r.result())
                    .append("\">")
                    .append(r.result())
                    .append("</td><td>");
            for (Verdict v : r.verdicts()) {
                h.append("<span class=\"")
                        .append(v.result())
                        .append("\">")
                        .append(Html.esc(v.checker()))
                        .append("</span> ");
            }
            h.append("</td></tr>\n");
        }
        h.append("</table>\n");
        for (ScenarioRun r : runs) {
            section(h, r);
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    private static void section(StringBuilder h, ScenarioRun r) {
        h.append("<section id=\"")
                .append(anchor(r))
                .append("\"><h2>")
                .append(Html.esc(r.scenario()))
                .append(" #")
                .append(r.run())
                .append(" <span class=\"")
                .append(r.result())
                .append("\">")
                .append(r.result())
                .append("</span></h2>\n<p>seed ")
                .append(r.seed())
                .append(String.format(Locale.ROOT, ", %.1f s, ", r.history().endNanos() / 1e9))
                .append(r.history().ops().size())
                .append(" operations, ")
                .append(r.history().faults().size())
                .append(" nemesis events; history: <a href=\"")
                .append(Html.esc(r.historyFile()))
                .append("\">")
                .append(Html.esc(r.historyFile()))
                .append("</a></p>\n");
        if (!r.notes().isEmpty()) {
            h.append("<ul>");
            r.notes().forEach(n -> h.append("<li>").append(Html.esc(n)).append("</li>"));
            h.append("</ul>\n");
        }
        h.append("<table><tr><th>checker</th><th>result</th><th>summary</th><th>figures</th></tr>\n");
        for (Verdict v : r.verdicts()) {
            h.append("<tr><td>")
                    .append(Html.esc(v.checker()))
                    .append("</td><td class=\"")
                    .append(v.result())
                    .append("\">")
                    .append(v.result())
                    .append("</td><td>")
                    .append(Html.esc(v.summary()))
                    .append("</td><td>");
            for (Map.Entry<String, Double> f : v.figures().entrySet()) {
                h.append(Html.esc(f.getKey()))
                        .append('=')
                        .append(formatFigure(f.getValue()))
                        .append(' ');
            }
            h.append("</td></tr>\n");
        }
        h.append("</table>\n<h3>Timeline</h3>\n").append(TimelineSvg.timeline(r.history(), 1100));
        h.append("<h3>Latency</h3>\n").append(TimelineSvg.latency(r.history(), 1100));
        h.append("<table><tr><th>operation</th><th>count</th><th>ok</th><th>fail</th><th>info</th>")
                .append("<th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>max ms</th></tr>\n");
        for (LatencyStats l : LatencyStats.of(r.history())) {
            h.append(String.format(
                    Locale.ROOT,
                    "<tr><td>%s</td><td class=\"num\">%d</td><td class=\"num\">%d</td><td class=\"num\">%d</td>"
                            + "<td class=\"num\">%d</td><td class=\"num\">%.1f</td><td class=\"num\">%.1f</td>"
                            + "<td class=\"num\">%.1f</td><td class=\"num\">%.1f</td></tr>%n",
                    Html.esc(l.f()),
                    l.count(),
                    l.ok(),
                    l.fail(),
                    l.info(),
                    l.p50Ms(),
                    l.p95Ms(),
                    l.p99Ms(),
                    l.maxMs()));
        }
        h.append("</table>\n");
        boolean any = r.verdicts().stream().anyMatch(v -> !v.anomalies().isEmpty());
        if (any) {
            h.append("<h3>Anomalies</h3>\n<ul>\n");
            for (Verdict v : r.verdicts()) {
                for (String a : v.anomalies()) {
                    h.append("<li><b>")
                            .append(Html.esc(v.checker()))
                            .append("</b>: ")
                            .append(Html.esc(a))
                            .append("</li>\n");
                }
            }
            h.append("</ul>\n");
        }
        h.append("</section>\n");
    }

    private static String anchor(ScenarioRun r) {
        return Html.esc(r.scenario() + "-" + r.run());
    }

    private static String formatFigure(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15
                ? Long.toString((long) d)
                : String.format(Locale.ROOT, "%.2f", d);
    }
}
