package dev.weft.faults.runtime.nemesis;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.faults.history.Fn;
import dev.weft.faults.history.HistoryWriter;
import dev.weft.faults.runtime.cluster.Cluster;
import dev.weft.faults.runtime.cluster.Node;
import dev.weft.faults.runtime.router.Router;
import dev.weft.faults.scenario.FaultSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inflicts and undoes {@link FaultSpec faults} on a running cluster and records each in the
 * history (start when applied, stop when undone). The final {@link #healAll heal} undoes whatever
 * is still in force and restarts routers that are down.
 *
 * <p>Thread-safety: driven by one thread (the scenario runner); {@link #removed} may be read by
 * workers concurrently.
 */
public final class Nemesis {

    private static final Logger LOG = LoggerFactory.getLogger(Nemesis.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Cluster cluster;
    private final Map<String, Router> routers;
    private final HistoryWriter history;
    private final Map<FaultSpec, HistoryWriter.Fault> active = new LinkedHashMap<>();
    private final Set<String> removed = ConcurrentHashMap.newKeySet();

    private final boolean rmpeer;

    /**
     * @param rmpeer whether the router has {@code weft rmpeer} (a removal then runs it once)
     */
    public Nemesis(Cluster cluster, Map<String, Router> routers, HistoryWriter history, boolean rmpeer) {
        this.rmpeer = rmpeer;
        this.cluster = cluster;
        this.routers = routers;
        this.history = history;
    }

    /** Nodes removed for good so far. */
    public Set<String> removed() {
        return Set.copyOf(removed);
    }

    /** True when {@code node} has been removed. */
    public boolean isRemoved(String node) {
        return removed.contains(node);
    }

    /** Applies {@code f} and records its start. */
    public void start(FaultSpec f) {
        if (active.containsKey(f)) {
            throw new IllegalStateException("fault already in force: " + f.describe());
        }
        LOG.info("nemesis: {} {}", f.f(), f.describe());
        HistoryWriter.Fault h = history.nemesisStart(f.f(), f.nodes(), f.describe());
        active.put(f, h);
        switch (f) {
            case FaultSpec.Partition p -> {
                for (List<String> side : p.sides()) {
                    for (String a : side) {
                        for (List<String> other : p.sides()) {
                            if (other != side) {
                                for (String b : other) {
                                    node(a).firewall().dropFrom(node(b));
                                }
                            }
                        }
                    }
                }
            }
            case FaultSpec.Isolate i -> i.nodes().forEach(n -> node(n).disconnect());
            case FaultSpec.Cut c -> node(c.to()).firewall().dropFrom(node(c.from()));
            case FaultSpec.Loss l -> l.nodes().forEach(n -> node(n).firewall().loseIncoming(l.p()));
            case FaultSpec.Kill k -> routers.get(k.node()).process().kill9();
            case FaultSpec.Pause p -> routers.get(p.node()).process().signal("STOP");
            case FaultSpec.Remove r -> remove(r, h);
        }
    }

    /** Undoes {@code f} and records its stop; errors in undoing are recorded and rethrown. */
    public void stop(FaultSpec f) {
        HistoryWriter.Fault h = active.remove(f);
        if (h == null) {
            throw new IllegalStateException("fault not in force: " + f.describe());
        }
        try {
            undo(f);
            h.stop(null);
        } catch (RuntimeException e) {
            h.stop(e.getMessage());
            throw e;
        }
    }

    private void undo(FaultSpec f) {
        switch (f) {
            case FaultSpec.Partition p ->
                p.nodes().forEach(n -> node(n).firewall().clear());
            case FaultSpec.Isolate i -> i.nodes().forEach(n -> node(n).reconnect());
            case FaultSpec.Cut c -> node(c.to()).firewall().clear();
            case FaultSpec.Loss l -> l.nodes().forEach(n -> node(n).firewall().clear());
            case FaultSpec.Kill k -> routers.get(k.node()).start();
            case FaultSpec.Pause p -> routers.get(p.node()).process().signal("CONT");
            case FaultSpec.Remove r -> throw new IllegalStateException("a removed node stays removed");
        }
    }

    private void remove(FaultSpec.Remove r, HistoryWriter.Fault h) {
        removed.add(r.node());
        Router victim = routers.get(r.node());
        String peer = peerName(victim);
        victim.process().kill9();
        victim.keepLog();
        cluster.destroy(node(r.node()));
        if (!rmpeer) {
            h.stop(null);
            active.remove(r);
            return;
        }
        Router via = routers.get(r.via());
        var arg = JSON.createObjectNode().put("peer", peer);
        HistoryWriter.Invocation inv = history.invoke("nemesis", r.via(), Fn.RMPEER, null, arg);
        var res = via.cli(Duration.ofSeconds(60), "rmpeer", peer);
        if (res.ok()) {
            inv.ok(JSON.getNodeFactory().textNode(res.stdout().strip()));
        } else if (res.timedOut()) {
            inv.info("timed out");
        } else {
            inv.fail("exit " + res.exitCode() + ": " + (res.stderr() + res.stdout()).strip());
        }
        h.stop(null); // removal is instantaneous; the node stays gone
        active.remove(r);
    }

    /** The router's peer name as its status reports it; the node name if it cannot say. */
    private static String peerName(Router r) {
        var reply = r.httpJson("GET", "/status/ipam", Duration.ofSeconds(5));
        if (reply.success()) {
            try {
                return JSON.readTree(reply.body()).path("peer").asText(r.node().name());
            } catch (java.io.IOException e) {
                return r.node().name();
            }
        }
        return r.node().name();
    }

    /**
     * The final heal: records a HEAL event, undoes every fault still in force, clears every live
     * node's nemesis rules, reconnects every live node, continues stopped routers and restarts
     * dead ones (never removed nodes). Returns what could not be healed.
     */
    public List<String> healAll() {
        HistoryWriter.Fault heal = history.nemesisStart(Fn.HEAL, List.of(), "every fault undone");
        List<String> problems = new ArrayList<>();
        for (FaultSpec f : new ArrayList<>(active.keySet())) {
            try {
                stop(f);
            } catch (RuntimeException e) {
                problems.add(f.describe() + ": " + e.getMessage());
            }
        }
        Set<String> live = new LinkedHashSet<>();
        cluster.nodes().forEach(n -> {
            if (!removed.contains(n.name())) {
                live.add(n.name());
            }
        });
        // Every node at once: each step is a container call that takes seconds under load, and the
        // heal is only complete when the last node is done.
        CompletableFuture.allOf(live.stream()
                        .map(name -> CompletableFuture.runAsync(() -> healNode(name, problems), r -> Thread.ofVirtual()
                                .start(r)))
                        .toArray(CompletableFuture[]::new))
                .join();
        heal.stop(problems.isEmpty() ? null : String.join("; ", problems));
        return problems;
    }

    private void healNode(String name, List<String> problems) {
        Node n = node(name);
        try {
            if (!n.connected()) {
                n.reconnect();
            }
            n.firewall().clear();
            Router r = routers.get(name);
            if (r.process().stopped()) {
                r.process().signal("CONT");
            }
            if (!r.process().running()) {
                LOG.info("heal: restarting the router on {}", name);
                r.start();
            }
        } catch (RuntimeException e) {
            synchronized (problems) {
                problems.add(name + ": " + e.getMessage());
            }
        }
    }

    private Node node(String name) {
        return cluster.node(name);
    }
}
