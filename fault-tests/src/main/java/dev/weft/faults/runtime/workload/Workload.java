package dev.weft.faults.runtime.workload;

import dev.weft.faults.history.HistoryWriter;
import dev.weft.faults.runtime.router.Router;
import dev.weft.faults.scenario.WorkloadSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * The workers of a run, one thread each, started together and stopped together.
 *
 * <p>Thread-safety: {@link #start} and {@link #stop} from the runner's thread.
 */
public final class Workload {

    private final List<PodWorker> workers = new ArrayList<>();
    private final String driver;
    private final List<Thread> threads = new ArrayList<>();

    /**
     * @param spec what to do
     * @param routers the routers by node name
     * @param history where every operation is recorded
     * @param seed the seed of the workers' randomness
     * @param removed true for nodes removed for good (their workers stop)
     * @param cni whether pods go through the CNI plugin (else the IPAM HTTP API)
     */
    public Workload(
            WorkloadSpec spec,
            Map<String, Router> routers,
            HistoryWriter history,
            long seed,
            Predicate<String> removed,
            boolean cni) {
        SplittableRandom root = new SplittableRandom(seed);
        this.driver = cni ? "cni" : "ipam-api";
        routers.forEach((node, router) -> {
            if (!spec.onlyOn().isEmpty() && !spec.onlyOn().contains(node)) {
                return;
            }
            for (int w = 1; w <= spec.workersPerNode(); w++) {
                String name = node + "-w" + w;
                PodDriver d = cni
                        ? new CniDriver(router.node(), spec.opTimeout())
                        : new IpamApiDriver(router, spec.opTimeout());
                workers.add(new PodWorker(name, node, d, spec, history, root.split(), () -> removed.test(node)));
            }
        });
    }

    /** How pods are made: {@code cni} or {@code ipam-api}. */
    public String driver() {
        return driver;
    }

    public void start() {
        for (PodWorker w : workers) {
            Thread t = Thread.ofPlatform()
                    .name("workload-" + threads.size())
                    .daemon()
                    .unstarted(w);
            threads.add(t);
            t.start();
        }
    }

    /** Stops every worker and waits (up to {@code max}) for their operations in flight to finish. */
    public void stop(Duration max) {
        workers.forEach(PodWorker::stop);
        long deadline = System.nanoTime() + max.toNanos();
        for (Thread t : threads) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            try {
                t.join(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
