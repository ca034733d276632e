package dev.weft.faults.report;

import dev.weft.faults.history.History;
import dev.weft.faults.history.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Latency percentiles and outcome counts per operation kind.
 *
 * @param f the operation kind
 * @param count operations
 * @param ok successful
 * @param fail certainly failed
 * @param info outcome unknown
 * @param p50Ms median latency of all operations, milliseconds
 * @param p95Ms 95th percentile, milliseconds
 * @param p99Ms 99th percentile, milliseconds
 * @param maxMs the slowest, milliseconds
 */
public record LatencyStats(
        String f, int count, int ok, int fail, int info, double p50Ms, double p95Ms, double p99Ms, double maxMs) {

    /** One row per operation kind, sorted by kind. */
    public static List<LatencyStats> of(History h) {
        Map<String, List<Op>> byF = new TreeMap<>();
        for (Op o : h.ops()) {
            byF.computeIfAbsent(o.f(), k -> new ArrayList<>()).add(o);
        }
        List<LatencyStats> rows = new ArrayList<>();
        byF.forEach((f, ops) -> {
            double[] ms = ops.stream()
                    .mapToDouble(o -> o.latencyNanos() / 1e6)
                    .sorted()
                    .toArray();
            rows.add(new LatencyStats(
                    f,
                    ops.size(),
                    (int) ops.stream().filter(Op::ok).count(),
                    (int) ops.stream().filter(Op::failed).count(),
                    (int) ops.stream().filter(Op::indeterminate).count(),
                    percentile(ms, 0.50),
                    percentile(ms, 0.95),
                    percentile(ms, 0.99),
                    ms.length == 0 ? 0 : ms[ms.length - 1]));
        });
        return rows;
    }

    /** Nearest-rank percentile of sorted values (0 for none). */
    static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
