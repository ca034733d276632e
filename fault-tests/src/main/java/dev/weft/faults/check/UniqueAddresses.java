package dev.weft.faults.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.faults.history.Fn;
import dev.weft.faults.history.History;
import dev.weft.faults.history.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * No address is held by two live pods at any time.
 *
 * <p>Two sources of evidence: the acknowledged allocations (two pods whose {@link PodHolds
 * certain holds} of one address overlap in time), and the routers' own reports (one READ listing
 * one address for two pods, or the final READs of all live nodes, taken after the workload
 * stopped, listing one address for pods on different nodes).
 */
public final class UniqueAddresses implements Checker {

    @Override
    public String name() {
        return "unique-addresses";
    }

    @Override
    public Verdict check(History h) {
        List<PodHolds.Hold> holds = PodHolds.of(h);
        Set<String> collisions = new LinkedHashSet<>();
        List<String> anomalies = new ArrayList<>();

        Map<String, List<PodHolds.Hold>> byAddress = new HashMap<>();
        for (PodHolds.Hold x : holds) {
            for (PodHolds.Hold y : byAddress.getOrDefault(x.address(), List.of())) {
                if (!x.pod().equals(y.pod()) && x.overlaps(y)) {
                    String key = x.address() + " " + order(x.pod(), y.pod());
                    if (collisions.add(key)) {
                        anomalies.add(String.format(
                                Locale.ROOT,
                                "%s held by %s (on %s, from %.3f s) and %s (on %s, from %.3f s) at once",
                                x.address(),
                                y.pod(),
                                y.node(),
                                y.fromNanos() / 1e9,
                                x.pod(),
                                x.node(),
                                x.fromNanos() / 1e9));
                    }
                }
            }
            byAddress.computeIfAbsent(x.address(), k -> new ArrayList<>()).add(x);
        }

        int reads = 0;
        for (Op r : h.ops(Fn.READ)) {
            if (r.ok() && r.result() != null) {
                reads++;
                duplicatesIn(List.of(r), collisions, anomalies);
            }
        }
        Map<String, Op> finalReads = finalReads(h);
        duplicatesIn(List.copyOf(finalReads.values()), collisions, anomalies);

        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("duplicates", (double) collisions.size());
        figures.put("acknowledged_allocations", (double) holds.size());
        figures.put("reads", (double) reads);
        if (holds.isEmpty() && reads == 0) {
            return new Verdict(
                    name(),
                    Verdict.Result.UNKNOWN,
                    "no acknowledged allocation and no read: nothing to judge",
                    figures,
                    anomalies);
        }
        if (!collisions.isEmpty()) {
            return new Verdict(
                    name(),
                    Verdict.Result.FAIL,
                    collisions.size() + " address(es) held by two pods at once",
                    figures,
                    anomalies);
        }
        return new Verdict(
                name(),
                Verdict.Result.PASS,
                "no address held twice (" + holds.size() + " acknowledged allocations, " + reads + " reads)",
                figures,
                anomalies);
    }

    /**
     * The last successful READ of every live node, if all of them come after the final heal (the
     * harness takes them after the workload stopped); otherwise none.
     */
    static Map<String, Op> finalReads(History h) {
        Map<String, Op> last = new TreeMap<>();
        long heal = h.finalHealNanos().orElse(Long.MAX_VALUE);
        for (Op r : h.ops(Fn.READ)) {
            if (r.ok() && r.result() != null && r.invokeNanos() >= heal) {
                last.put(r.node(), r);
            }
        }
        return last.keySet().containsAll(h.liveNodes()) ? last : Map.of();
    }

    private static void duplicatesIn(List<Op> reads, Set<String> collisions, List<String> anomalies) {
        Map<String, String> podOf = new HashMap<>();
        Map<String, String> nodeOf = new HashMap<>();
        for (Op r : reads) {
            for (Map.Entry<String, JsonNode> e : r.result().properties()) {
                String addr = PodHolds.address(e.getValue().asText());
                String other = podOf.putIfAbsent(addr, e.getKey());
                if (other != null && !other.equals(e.getKey())) {
                    String key = addr + " " + order(other, e.getKey());
                    if (collisions.add(key)) {
                        anomalies.add(String.format(
                                Locale.ROOT,
                                "%s reported for %s (by %s) and %s (by %s) at %.3f s",
                                addr,
                                other,
                                nodeOf.get(addr),
                                e.getKey(),
                                r.node(),
                                r.completeNanos() / 1e9));
                    }
                }
                nodeOf.putIfAbsent(addr, r.node());
            }
        }
    }

    private static String order(String a, String b) {
        return a.compareTo(b) < 0 ? a + " " + b : b + " " + a;
    }
}
