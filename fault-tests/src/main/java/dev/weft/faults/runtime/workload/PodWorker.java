package dev.weft.faults.runtime.workload;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.faults.history.Fn;
import dev.weft.faults.history.HistoryWriter;
import dev.weft.faults.scenario.WorkloadSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;

/**
 * One worker on one node, acting like kubelet: creates pods with addresses and deletes them again
 * through a {@link PodDriver} (the CNI plugin, or the IPAM HTTP API where the router does not serve
 * CNI), recording every request in the history. Pods whose creation or deletion had an unknown
 * outcome are deleted again later, as kubelet retries CNI DEL.
 *
 * <p>Runs on its own thread until {@link #stop()}.
 */
final class PodWorker implements Runnable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final String node;
    private final PodDriver driver;
    private final WorkloadSpec spec;
    private final HistoryWriter history;
    private final RandomGenerator random;
    private final BooleanSupplier nodeRemoved;
    private final List<String> live = new ArrayList<>();
    private final List<String> doubtful = new ArrayList<>();
    private volatile boolean running = true;
    private int seq;

    PodWorker(
            String name,
            String node,
            PodDriver driver,
            WorkloadSpec spec,
            HistoryWriter history,
            RandomGenerator random,
            BooleanSupplier nodeRemoved) {
        this.name = name;
        this.node = node;
        this.driver = driver;
        this.spec = spec;
        this.history = history;
        this.random = random;
        this.nodeRemoved = nodeRemoved;
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        while (running && !nodeRemoved.getAsBoolean()) {
            if (!doubtful.isEmpty() && random.nextInt(4) == 0) {
                release(doubtful.removeFirst());
            } else if (live.size() < spec.podsPerWorker()) {
                allocate(name + "-" + ++seq);
            } else if (spec.releases()) {
                release(live.remove(random.nextInt(live.size())));
            }
            think();
        }
    }

    private void allocate(String pod) {
        HistoryWriter.Invocation inv = history.invoke(name, node, Fn.ALLOCATE, pod, null);
        PodDriver.Result r = driver.add(pod);
        switch (r.kind()) {
            case OK -> {
                inv.ok(JSON.getNodeFactory().textNode(r.address()));
                live.add(pod);
            }
            case FAIL -> inv.fail(r.error());
            case UNKNOWN -> {
                inv.info(r.error());
                doubtful.add(pod);
            }
        }
    }

    private void release(String pod) {
        if (nodeRemoved.getAsBoolean()) {
            return;
        }
        HistoryWriter.Invocation inv = history.invoke(name, node, Fn.RELEASE, pod, null);
        PodDriver.Result r = driver.del(pod);
        switch (r.kind()) {
            case OK -> inv.ok(null);
            case FAIL -> {
                inv.fail(r.error());
                doubtful.add(pod); // try again later
            }
            case UNKNOWN -> {
                inv.info(r.error());
                doubtful.add(pod);
            }
        }
    }

    private void think() {
        long ms = spec.think().toMillis();
        try {
            Thread.sleep(ms / 2 + random.nextLong(Math.max(1, ms)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
