package dev.weft.faults.check;

import dev.weft.faults.history.Fn;
import dev.weft.faults.history.History;
import dev.weft.faults.history.Op;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * After the final heal, every probed pod pair reaches the other within a bound (default 30 s),
 * and every pair of live nodes has at least one probed pod pair. The figure {@code heal_s} is the
 * longest time from the heal to a pair's first successful probe.
 */
public final class Reachability implements Checker {

    /** The issue's default bound. */
    public static final Duration DEFAULT_BOUND = Duration.ofSeconds(30);

    private final Duration bound;

    public Reachability(Duration bound) {
        this.bound = bound;
    }

    public Reachability() {
        this(DEFAULT_BOUND);
    }

    @Override
    public String name() {
        return "reachability";
    }

    @Override
    public Verdict check(History h) {
        Map<String, Double> figures = new LinkedHashMap<>();
        if (h.finalHealNanos().isEmpty()) {
            return new Verdict(name(), Verdict.Result.UNKNOWN, "no final heal recorded", figures, List.of());
        }
        long heal = h.finalHealNanos().get();
        long limit = heal + bound.toNanos();
        Map<String, Long> firstOk = new TreeMap<>();
        Map<String, Integer> attempts = new TreeMap<>();
        Set<String> nodePairs = new TreeSet<>();
        for (Op p : h.ops(Fn.PROBE)) {
            if (p.invokeNanos() < heal || p.arg() == null) {
                continue;
            }
            String toNode = p.arg().path("toNode").asText();
            String key = p.pod() + "@" + p.node() + " -> " + p.arg().path("to").asText() + "@" + toNode;
            attempts.merge(key, 1, Integer::sum);
            if (p.ok() && p.completeNanos() <= limit) {
                firstOk.merge(key, p.completeNanos(), Math::min);
                nodePairs.add(p.node() + ">" + toNode);
            } else {
                firstOk.putIfAbsent(key, null);
            }
        }
        figures.put("pairs", (double) attempts.size());
        if (attempts.isEmpty()) {
            return new Verdict(
                    name(),
                    Verdict.Result.UNKNOWN,
                    "no probe after the final heal (no pods with a data plane to probe)",
                    figures,
                    List.of());
        }
        List<String> anomalies = new ArrayList<>();
        long worst = 0;
        for (Map.Entry<String, Long> e : firstOk.entrySet()) {
            if (e.getValue() == null) {
                anomalies.add(e.getKey() + ": not reached within " + bound.toSeconds() + " s of the heal ("
                        + attempts.get(e.getKey()) + " probes)");
            } else {
                worst = Math.max(worst, e.getValue() - heal);
            }
        }
        int unreachedPods = anomalies.size();
        List<String> live = h.liveNodes();
        for (String a : live) {
            for (String b : live) {
                if (!a.equals(b) && !nodePairs.contains(a + ">" + b)) {
                    anomalies.add("no pod on " + a + " reached a pod on " + b + " after the heal");
                }
            }
        }
        figures.put("heal_s", worst / 1e9);
        figures.put("unreached", (double) unreachedPods);
        int unreachedNodes = anomalies.size() - unreachedPods;
        if (!anomalies.isEmpty()) {
            return new Verdict(
                    name(),
                    Verdict.Result.FAIL,
                    unreachedPods + " pod pair(s) not reached within " + bound.toSeconds() + " s of the heal"
                            + (unreachedNodes == 0
                                    ? ""
                                    : ", " + unreachedNodes + " node pair(s) with no pod reaching the other"),
                    figures,
                    anomalies);
        }
        return new Verdict(
                name(),
                Verdict.Result.PASS,
                String.format(
                        Locale.ROOT,
                        "all %d pod pairs reached within %.1f s of the heal",
                        attempts.size(),
                        worst / 1e9),
                figures,
                anomalies);
    }
}
