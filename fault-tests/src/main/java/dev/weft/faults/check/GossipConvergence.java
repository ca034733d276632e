package dev.weft.faults.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.faults.history.Fn;
import dev.weft.faults.history.History;
import dev.weft.faults.history.Op;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * After the final heal gossip converged: every live node reports the same topology, and in it
 * every live peer has connections to every other live peer and no removed peer remains. The figure
 * {@code converge_s} is the time from the heal until the latest reports of all nodes first
 * agreed.
 */
public final class GossipConvergence implements Checker {

    @Override
    public String name() {
        return "gossip-converged";
    }

    @Override
    public Verdict check(History h) {
        Map<String, Op> last = FinalViews.last(h, Fn.TOPOLOGY);
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("topology_reads", (double) last.size());
        if (last.isEmpty()) {
            return new Verdict(
                    name(), Verdict.Result.UNKNOWN, "no topology read after the final heal", figures, List.of());
        }
        List<String> live = h.liveNodes();
        List<String> anomalies = new ArrayList<>();
        Map.Entry<String, Op> ref = last.entrySet().iterator().next();
        for (Map.Entry<String, Op> e : last.entrySet()) {
            if (!e.getValue().result().equals(ref.getValue().result())) {
                anomalies.add("topology of " + e.getKey() + " " + e.getValue().result() + " differs from "
                        + ref.getKey() + "'s " + ref.getValue().result());
            }
        }
        for (String n : live) {
            if (!last.containsKey(n)) {
                anomalies.add("no topology read after the heal from " + n);
            }
        }
        anomalies.addAll(meshProblems(ref.getValue().result(), live));
        long at = FinalViews.firstAgreement(
                h,
                Fn.TOPOLOGY,
                views -> views.values().stream().distinct().count() == 1
                        && meshProblems(views.values().iterator().next(), live).isEmpty());
        long heal = h.finalHealNanos().orElse(0L);
        if (at >= 0) {
            figures.put("converge_s", (at - heal) / 1e9);
        }
        if (!anomalies.isEmpty()) {
            return new Verdict(
                    name(),
                    Verdict.Result.FAIL,
                    "topology not converged to a full mesh of the " + live.size() + " live nodes",
                    figures,
                    anomalies);
        }
        return new Verdict(
                name(),
                Verdict.Result.PASS,
                String.format(
                        Locale.ROOT,
                        "all %d live nodes report the same full mesh (agreed %.1f s after the heal)",
                        live.size(),
                        (at - heal) / 1e9),
                figures,
                anomalies);
    }

    /** What is wrong with {@code topology} as a full mesh of exactly {@code live}. */
    static List<String> meshProblems(JsonNode topology, List<String> live) {
        List<String> problems = new ArrayList<>();
        Set<String> peers = new TreeSet<>();
        topology.fieldNames().forEachRemaining(peers::add);
        for (String p : peers) {
            if (!live.contains(p)) {
                problems.add("the topology still lists " + p + ", which is not a live node");
            }
        }
        for (String a : live) {
            Set<String> conns = new TreeSet<>();
            topology.path(a).forEach(c -> conns.add(c.asText()));
            for (String b : live) {
                if (!a.equals(b) && !conns.contains(b)) {
                    problems.add(a + " has no established connection to " + b);
                }
            }
        }
        return problems;
    }
}
