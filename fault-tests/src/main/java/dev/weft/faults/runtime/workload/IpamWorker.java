package dev.weft.faults.runtime.workload;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.faults.history.Fn;
import dev.weft.faults.history.HistoryWriter;
import dev.weft.faults.runtime.router.HttpReply;
import dev.weft.faults.runtime.router.Router;
import dev.weft.faults.scenario.WorkloadSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;

/**
 * One worker on one node, acting like kubelet through the router's IPAM HTTP API (until the CNI
 * path is used): gives new pods addresses ({@code POST /ip/POD}) and releases them ({@code DELETE
 * /ip/POD}), recording every request in the history. Pods whose allocation or release had an
 * unknown outcome are released again later, as kubelet retries CNI DEL.
 *
 * <p>Runs on its own thread until {@link #stop()}.
 */
final class IpamWorker implements Runnable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final Router router;
    private final WorkloadSpec spec;
    private final HistoryWriter history;
    private final RandomGenerator random;
    private final BooleanSupplier nodeRemoved;
    private final List<String> live = new ArrayList<>();
    private final List<String> doubtful = new ArrayList<>();
    private volatile boolean running = true;
    private int seq;

    IpamWorker(
            String name,
            Router router,
            WorkloadSpec spec,
            HistoryWriter history,
            RandomGenerator random,
            BooleanSupplier nodeRemoved) {
        this.name = name;
        this.router = router;
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
        String node = router.node().name();
        HistoryWriter.Invocation inv = history.invoke(name, node, Fn.ALLOCATE, pod, null);
        HttpReply r = router.http(
                "POST",
                "/ip/" + pod + "?timeout=" + spec.opTimeout().toSeconds() + "s",
                spec.opTimeout().plusSeconds(5));
        if (r.success()) {
            inv.ok(JSON.getNodeFactory().textNode(r.body().strip()));
            live.add(pod);
        } else if (r.certainlyFailed()) {
            inv.fail(r.describe());
        } else {
            inv.info(r.describe());
            doubtful.add(pod);
        }
    }

    private void release(String pod) {
        if (nodeRemoved.getAsBoolean()) {
            return;
        }
        String node = router.node().name();
        HistoryWriter.Invocation inv = history.invoke(name, node, Fn.RELEASE, pod, null);
        HttpReply r = router.http("DELETE", "/ip/" + pod, Duration.ofSeconds(10));
        if (r.success()) {
            inv.ok(null);
        } else if (r.certainlyFailed()) {
            inv.fail(r.describe());
            doubtful.add(pod); // try again later
        } else {
            inv.info(r.describe());
            doubtful.add(pod);
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
