package dev.weft.faults.runtime.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.faults.check.Checker;
import dev.weft.faults.check.DurableAllocations;
import dev.weft.faults.check.GossipConvergence;
import dev.weft.faults.check.Reachability;
import dev.weft.faults.check.RingOwnership;
import dev.weft.faults.check.UniqueAddresses;
import dev.weft.faults.check.Verdict;
import dev.weft.faults.history.History;
import dev.weft.faults.history.HistoryWriter;
import dev.weft.faults.report.ScenarioRun;
import dev.weft.faults.runtime.cluster.Cluster;
import dev.weft.faults.runtime.cluster.ClusterSpec;
import dev.weft.faults.runtime.cluster.Node;
import dev.weft.faults.runtime.cluster.Testbed;
import dev.weft.faults.runtime.nemesis.Nemesis;
import dev.weft.faults.runtime.router.Router;
import dev.weft.faults.runtime.router.RouterCapabilities;
import dev.weft.faults.runtime.router.RouterOptions;
import dev.weft.faults.runtime.workload.CniPods;
import dev.weft.faults.runtime.workload.Prober;
import dev.weft.faults.runtime.workload.Workload;
import dev.weft.faults.scenario.FaultSpec;
import dev.weft.faults.scenario.Plan;
import dev.weft.faults.scenario.Scenario;
import dev.weft.faults.scenario.Step;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one scenario once against real routers: starts the nodes and routers, runs the workload
 * and the plan's faults, heals everything, watches the cluster converge, takes final reads,
 * judges the history with every checker, and removes the nodes (also when the run fails).
 */
public final class ScenarioRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ScenarioRunner.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    // Five JVMs starting at once on two busy cores have taken over 120 s to serve.
    private static final Duration START_TIMEOUT = Duration.ofSeconds(240);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RunConfig config;

    public ScenarioRunner(RunConfig config) {
        this.config = config;
    }

    /** The checkers every run is judged by. */
    public List<Checker> checkers() {
        return List.of(
                new UniqueAddresses(),
                new DurableAllocations(),
                new Reachability(config.healBound()),
                new RingOwnership(),
                new GossipConvergence());
    }

    /** Runs {@code scenario} (run number {@code run}, seed {@code seed}) and judges it. */
    public ScenarioRun run(Scenario scenario, int run, long seed) {
        return run(scenario, run, seed, scenario.name());
    }

    /**
     * As {@link #run(Scenario, int, long)}, reporting the run as {@code label} (its history is
     * {@code histories/LABEL-RUN.jsonl}).
     */
    public ScenarioRun run(Scenario scenario, int run, long seed, String label) {
        requireBuiltRouter(config.weftHome());
        int n = config.nodes() > 0 ? config.nodes() : scenario.nodes();
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            names.add("n" + i);
        }
        SplittableRandom random = new SplittableRandom(seed);
        Plan plan = scenario.plan(names, random).scaled(config.scale());
        var workloadSpec = scenario.workload();
        String historyName = "histories/" + label.replace(':', '-') + "-" + run + ".jsonl";
        Path historyFile = config.reportDir().resolve(historyName);
        long t0 = System.nanoTime();
        List<String> notes = new ArrayList<>();
        Testbed testbed = Testbed.shared();
        ClusterSpec spec = testbed.spec(n, config.weftHome());
        LOG.info(
                "{} #{} seed {}: {} nodes, plan {} s",
                scenario.name(),
                run,
                seed,
                n,
                plan.duration().toSeconds());
        HistoryWriter history = new HistoryWriter(historyFile, () -> System.nanoTime() - t0);
        history.meta(meta(scenario, run, seed, names, plan));
        RouterCapabilities caps = RouterCapabilities.of(config.weftHome(), spec.jdkHome());
        if (!caps.canLaunch()) {
            throw new IllegalStateException("the router built in " + config.weftHome()
                    + " cannot `weft launch --password`: commands " + caps.commands());
        }
        if (!caps.hasIpam()) {
            notes.add("the router has no IPAM yet (no --ipalloc-range): no pods, only the mesh is exercised");
        }
        try (Cluster cluster = Cluster.start(spec)) {
            RouterOptions options =
                    new RouterOptions(password(), scenario.ipRange(), n, List.of(), caps.hasIpam(), caps.hasCni());
            Map<String, Router> routers = new LinkedHashMap<>();
            for (Node node : cluster.nodes()) {
                List<String> peers = cluster.nodes().stream()
                        .filter(o -> o != node)
                        .map(Node::ip)
                        .toList();
                routers.put(
                        node.name(),
                        new Router(node, options, peers, spec.jdkHome().toString()));
            }
            try {
                exercise(plan, workloadSpec, caps, routers, cluster, history, seed, notes);
            } finally {
                saveLogs(label.replace(':', '-'), run, routers);
            }
        } catch (RuntimeException e) {
            LOG.error("{} #{} could not complete: {}", scenario.name(), run, e.toString());
            notes.add("the run stopped early: " + e);
        } finally {
            history.close();
        }
        History h = history.history();
        List<Verdict> verdicts = checkers().stream().map(c -> c.check(h)).toList();
        if (h.ops("probe").isEmpty()) {
            notes.add("no pod-to-pod probes (pods need the CNI path), so reachability is not judged");
        }
        verdicts.forEach(
                v -> LOG.info("{} #{}: {} {} - {}", scenario.name(), run, v.checker(), v.result(), v.summary()));
        return new ScenarioRun(label, run, seed, h, historyName, verdicts, notes);
    }

    private void exercise(
            Plan plan,
            dev.weft.faults.scenario.WorkloadSpec workloadSpec,
            RouterCapabilities caps,
            Map<String, Router> routers,
            Cluster cluster,
            HistoryWriter history,
            long seed,
            List<String> notes) {
        parallel(routers.values().stream()
                .map(r -> (Runnable) () -> {
                    r.start();
                    r.awaitApi(START_TIMEOUT);
                })
                .toList());
        Observer observer = new Observer(history);
        routers.values().forEach(observer::identify);
        boolean cni = caps.hasCni() && routers.values().stream().allMatch(r -> CniPods.available(r.node()));
        Prober prober = cni ? new Prober(routers, history) : null;
        if (prober != null) {
            notes.add("pods through CNI: the plugin and configuration list each router installed, as kubelet runs"
                    + " them; one probe pod per node");
            prober.createProbePods();
        } else if (caps.hasIpam()) {
            notes.add(
                    caps.hasCni()
                            ? "pods through the IPAM HTTP API: a router launched with CNI serves no " + CniPods.SOCKET
                            : "pods through the IPAM HTTP API: `weft launch` has no data plane or CNI yet");
        }
        Nemesis nemesis = new Nemesis(cluster, routers, history, caps.hasRmpeer());
        if (!caps.hasRmpeer()
                && plan.steps().stream()
                        .anyMatch(st -> st instanceof Step.Start s && s.fault() instanceof FaultSpec.Remove)) {
            notes.add("the router has no `weft rmpeer` yet: the removed node's space is not reclaimed");
        }
        Workload workload = new Workload(workloadSpec, routers, history, seed ^ 0x5eed, nemesis::isRemoved, cni);
        if (caps.hasIpam() || cni) {
            workload.start();
        }
        Monitor monitor = new Monitor(routers, observer, nemesis::isRemoved, Duration.ofSeconds(3));
        monitor.start();
        try {
            for (Step step : plan.steps()) {
                perform(step, nemesis, routers, observer);
            }
        } finally {
            monitor.stop();
            workload.stop(Duration.ofSeconds(30));
        }
        List<String> unhealed = nemesis.healAll();
        if (!unhealed.isEmpty()) {
            notes.add("the final heal left: " + unhealed);
        }
        Map<String, Router> live = new LinkedHashMap<>(routers);
        nemesis.removed().forEach(live::remove);
        parallel(live.values().stream()
                .map(r -> (Runnable) () -> r.awaitApi(START_TIMEOUT))
                .toList());
        // Pods ping each other while the control plane converges: both are timed from the heal.
        List<Runnable> afterHeal = new ArrayList<>();
        afterHeal.add(() -> converge(live, observer, history, caps.hasIpam()));
        if (prober != null) {
            afterHeal.add(() -> prober.probeUntilAllReach(live.keySet(), config.healBound()));
        }
        parallel(afterHeal);
        parallel(live.values().stream()
                .map(r -> (Runnable) () -> observer.read(r))
                .toList());
    }

    private void perform(Step step, Nemesis nemesis, Map<String, Router> routers, Observer observer) {
        switch (step) {
            case Step.Quiet q -> sleep(q.d());
            case Step.Start s -> nemesis.start(s.fault());
            case Step.Stop s -> {
                nemesis.stop(s.fault());
                if (s.fault() instanceof FaultSpec.Kill k) {
                    // After a restart, read what the router kept: lost allocations show here.
                    Router r = routers.get(k.node());
                    r.awaitApi(START_TIMEOUT);
                    observer.read(r);
                }
            }
            case Step.Flap f -> {
                for (int i = 0; i < f.times(); i++) {
                    nemesis.start(f.fault());
                    sleep(f.on());
                    nemesis.stop(f.fault());
                    sleep(f.off());
                }
            }
        }
    }

    /**
     * Reads topology (and, with IPAM, the ring) from every live router once a second until they
     * look converged, or the bound.
     */
    private void converge(Map<String, Router> live, Observer observer, HistoryWriter history, boolean ipam) {
        long deadline = System.nanoTime() + config.healBound().toNanos();
        GossipConvergence gossip = new GossipConvergence();
        RingOwnership ring = new RingOwnership();
        do {
            parallel(live.values().stream()
                    .map(r -> (Runnable) () -> {
                        observer.topology(r);
                        if (ipam) {
                            observer.ring(r);
                        }
                    })
                    .toList());
            // The checkers are pure: ask them whether the cluster looks converged yet.
            History sofar = history.history();
            if (gossip.check(sofar).passed() && (!ipam || ring.check(sofar).passed())) {
                return;
            }
            sleep(Duration.ofSeconds(1));
        } while (System.nanoTime() < deadline);
    }

    private static ObjectNode meta(Scenario s, int run, long seed, List<String> nodes, Plan plan) {
        ObjectNode m = JSON.createObjectNode();
        m.put("scenario", s.name());
        m.put("description", s.description());
        m.put("run", run);
        m.put("seed", seed);
        m.put("ipRange", s.ipRange());
        var a = m.putArray("nodes");
        nodes.forEach(a::add);
        m.put("plan", plan.toString());
        return m;
    }

    private void saveLogs(String label, int run, Map<String, Router> routers) {
        Path dir = config.reportDir().resolve("logs");
        for (Router r : routers.values()) {
            try {
                Files.createDirectories(dir);
                String log = r.log();
                Files.writeString(
                        dir.resolve(label + "-" + run + "-" + r.node().name() + ".log"), log, StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot save the router log of {}: {}", r.node().name(), e.getMessage());
            }
        }
    }

    static void requireBuiltRouter(Path weftHome) {
        Path lib = weftHome.resolve("router/target/lib");
        Path classes = weftHome.resolve("router/target/classes");
        if (!Files.isDirectory(lib) || !Files.isDirectory(classes)) {
            throw new IllegalStateException("the router is not built in " + weftHome
                    + " (router/target/classes and lib): build it first, e.g. mvn -pl fault-tests -am package"
                    + " -DskipTests");
        }
    }

    private static void parallel(List<Runnable> tasks) {
        CompletableFuture.allOf(tasks.stream()
                        .map(t -> CompletableFuture.runAsync(
                                t, r -> Thread.ofVirtual().start(r)))
                        .toArray(CompletableFuture[]::new))
                .join();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String password() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
