package dev.weft.faults.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.faults.history.Fn;
import dev.weft.faults.history.History;
import dev.weft.faults.history.Op;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * No acknowledged allocation is lost, across restarts or anything else: while a pod has not been
 * released, every READ of its node lists it with the address it was given, and asking again for
 * the same pod never returns a different address.
 *
 * <p>Pods whose release was attempted (even with an unknown outcome) and pods of removed nodes are
 * no longer checked from that moment. The verdict is UNKNOWN when no READ followed any
 * acknowledged allocation.
 */
public final class DurableAllocations implements Checker {

    @Override
    public String name() {
        return "durable-allocations";
    }

    @Override
    public Verdict check(History h) {
        List<PodHolds.Hold> holds = PodHolds.of(h);
        Set<String> lost = new LinkedHashSet<>();
        List<String> anomalies = new ArrayList<>();
        int checkedReads = 0;
        Set<String> verifiedPods = new LinkedHashSet<>();

        // The same pod asked again without a release in between must get the same address back.
        Map<String, PodHolds.Hold> previous = new LinkedHashMap<>();
        for (PodHolds.Hold x : holds) {
            PodHolds.Hold p = previous.put(x.pod(), x);
            if (p != null && p.toNanos() >= x.fromNanos() && !p.address().equals(x.address())) {
                lost.add(x.pod());
                anomalies.add(String.format(
                        Locale.ROOT,
                        "%s on %s was given %s at %.3f s, then %s at %.3f s without a release",
                        x.pod(),
                        x.node(),
                        p.address(),
                        p.fromNanos() / 1e9,
                        x.address(),
                        x.fromNanos() / 1e9));
            }
        }

        for (Op r : h.ops(Fn.READ)) {
            if (!r.ok() || r.result() == null) {
                continue;
            }
            boolean counted = false;
            for (PodHolds.Hold x : holds) {
                // The read must start after the allocation was acknowledged and end before the
                // hold ended (release invoked / node removed), so the pod was certainly held throughout.
                if (!x.node().equals(r.node()) || r.invokeNanos() < x.fromNanos() || r.completeNanos() > x.toNanos()) {
                    continue;
                }
                counted = true;
                JsonNode seen = r.result().get(x.pod());
                String seenAddr = seen == null ? null : PodHolds.address(seen.asText());
                if (x.address().equals(seenAddr)) {
                    verifiedPods.add(x.pod());
                } else if (lost.add(x.pod())) {
                    anomalies.add(String.format(
                            Locale.ROOT,
                            "%s on %s was given %s at %.3f s; the read at %.3f s %s",
                            x.pod(),
                            x.node(),
                            x.address(),
                            x.fromNanos() / 1e9,
                            r.invokeNanos() / 1e9,
                            seenAddr == null ? "does not list it" : "says " + seenAddr));
                }
            }
            if (counted) {
                checkedReads++;
            }
        }

        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("lost", (double) lost.size());
        figures.put("acknowledged_allocations", (double) holds.size());
        figures.put("verified_pods", (double) verifiedPods.size());
        figures.put("reads_checked", (double) checkedReads);
        if (!lost.isEmpty()) {
            return new Verdict(
                    name(),
                    Verdict.Result.FAIL,
                    lost.size() + " acknowledged allocation(s) lost or changed",
                    figures,
                    anomalies);
        }
        if (checkedReads == 0) {
            return new Verdict(
                    name(),
                    Verdict.Result.UNKNOWN,
                    "no read followed an acknowledged allocation: nothing to judge",
                    figures,
                    anomalies);
        }
        return new Verdict(
                name(),
                Verdict.Result.PASS,
                verifiedPods.size() + " pods' addresses verified by " + checkedReads + " reads, none lost",
                figures,
                anomalies);
    }
}
