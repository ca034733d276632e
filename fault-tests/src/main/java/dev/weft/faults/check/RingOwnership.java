package dev.weft.faults.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.faults.history.Fn;
import dev.weft.faults.history.History;
import dev.weft.faults.history.Op;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * After the final heal the address ring is owned by live peers only, and every live node sees
 * the same owners. Reads are {@link Fn#RING} values, owners keyed by node name.
 */
public final class RingOwnership implements Checker {

    @Override
    public String name() {
        return "ring-owned-by-live-peers";
    }

    @Override
    public Verdict check(History h) {
        Map<String, Op> last = FinalViews.last(h, Fn.RING);
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("ring_reads", (double) last.size());
        if (last.isEmpty()) {
            return new Verdict(name(), Verdict.Result.UNKNOWN, "no ring read after the final heal", figures, List.of());
        }
        Set<String> live = new HashSet<>(h.liveNodes());
        List<String> anomalies = new ArrayList<>();
        Set<String> deadOwners = new TreeSet<>();
        JsonNode first = null;
        String firstNode = null;
        for (Map.Entry<String, Op> e : last.entrySet()) {
            JsonNode owners = e.getValue().result().path("owners");
            for (Map.Entry<String, JsonNode> o : owners.properties()) {
                if (!live.contains(o.getKey()) && o.getValue().asLong(1) > 0 && deadOwners.add(o.getKey())) {
                    anomalies.add(String.format(
                            Locale.ROOT,
                            "%s says %s (not a live peer) owns %s addresses (read at %.3f s)",
                            e.getKey(),
                            o.getKey(),
                            o.getValue().asText(),
                            e.getValue().completeNanos() / 1e9));
                }
            }
            if (first == null) {
                first = owners;
                firstNode = e.getKey();
            } else if (!first.equals(owners)) {
                anomalies.add(
                        "ring views differ: " + firstNode + " sees " + first + ", " + e.getKey() + " sees " + owners);
            }
        }
        List<String> missing =
                h.liveNodes().stream().filter(n -> !last.containsKey(n)).toList();
        if (!missing.isEmpty()) {
            anomalies.add("no ring read after the heal from " + missing);
        }
        figures.put("dead_owners", (double) deadOwners.size());
        figures.put("owners", first == null ? 0.0 : (double) first.size());
        if (!anomalies.isEmpty()) {
            return new Verdict(
                    name(),
                    Verdict.Result.FAIL,
                    deadOwners.isEmpty()
                            ? "live nodes disagree about the ring"
                            : deadOwners.size() + " dead or unknown peer(s) still own address space: " + deadOwners,
                    figures,
                    anomalies);
        }
        return new Verdict(
                name(),
                Verdict.Result.PASS,
                "ring owned by " + first.size() + " live peer(s), same view on all " + last.size() + " nodes",
                figures,
                anomalies);
    }
}
