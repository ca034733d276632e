package dev.weft.faults.runtime.workload;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.faults.history.Fn;
import dev.weft.faults.history.HistoryWriter;
import dev.weft.faults.runtime.router.Router;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One probe pod per node, made through CNI before the faults start, and after the final heal
 * pings between every pair of them (pods on different nodes) once a second until every pair got
 * through or the bound passed. Every creation and every ping is in the history (ALLOCATE, PROBE).
 */
public final class Prober {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Router> routers;
    private final HistoryWriter history;
    private final Map<String, String> probeAddress = new ConcurrentHashMap<>();

    public Prober(Map<String, Router> routers, HistoryWriter history) {
        this.routers = routers;
        this.history = history;
    }

    static String pod(String node) {
        return "probe-" + node;
    }

    /** Creates the probe pods (in parallel); nodes whose pod could not be made are not probed from or to. */
    public void createProbePods() {
        CompletableFuture.allOf(routers.entrySet().stream()
                        .map(e -> CompletableFuture.runAsync(
                                () -> create(e.getKey(), e.getValue()),
                                r -> Thread.ofVirtual().start(r)))
                        .toArray(CompletableFuture[]::new))
                .join();
    }

    private void create(String node, Router r) {
        HistoryWriter.Invocation inv = history.invoke("prober", node, Fn.ALLOCATE, pod(node), null);
        CniPods.Outcome o = CniPods.add(r.node(), pod(node), Duration.ofSeconds(30));
        if (o.ok()) {
            inv.ok(JSON.getNodeFactory().textNode(o.address()));
            probeAddress.put(node, o.address().split("/")[0]);
        } else {
            inv.info(o.error());
        }
    }

    /** Probes every ordered pair of {@code live} nodes until all got through once, or {@code bound}. */
    public void probeUntilAllReach(Set<String> live, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        Set<String> reached = ConcurrentHashMap.newKeySet();
        List<String[]> pairs = new ArrayList<>();
        for (String a : live) {
            for (String b : live) {
                if (!a.equals(b) && probeAddress.containsKey(a) && probeAddress.containsKey(b)) {
                    pairs.add(new String[] {a, b});
                }
            }
        }
        while (reached.size() < pairs.size() && System.nanoTime() < deadline) {
            CompletableFuture.allOf(pairs.stream()
                            .filter(p -> !reached.contains(p[0] + ">" + p[1]))
                            .map(p -> CompletableFuture.runAsync(
                                    () -> {
                                        if (probe(p[0], p[1])) {
                                            reached.add(p[0] + ">" + p[1]);
                                        }
                                    },
                                    r -> Thread.ofVirtual().start(r)))
                            .toArray(CompletableFuture[]::new))
                    .join();
            if (reached.size() < pairs.size()) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private boolean probe(String from, String to) {
        var arg = JSON.createObjectNode().put("to", pod(to)).put("toNode", to).put("addr", probeAddress.get(to));
        HistoryWriter.Invocation inv = history.invoke("prober", from, Fn.PROBE, pod(from), arg);
        boolean ok = CniPods.ping(routers.get(from).node(), pod(from), probeAddress.get(to));
        if (ok) {
            inv.ok(null);
        } else {
            inv.fail("no answer within 1 s");
        }
        return ok;
    }
}
