package dev.weft.faults.scenario;

import java.time.Duration;
import java.util.List;

/**
 * What the workload does while a scenario runs: workers allocate pod addresses and release them,
 * like kubelet creating and deleting pods.
 *
 * @param workersPerNode concurrent workers on each node (default 1)
 * @param podsPerWorker how many live pods a worker keeps at most before it releases (default 6)
 * @param think pause between a worker's operations (default 150 ms), so a 2-core machine is not
 *     saturated by the workload itself
 * @param releases whether workers release pods (false: allocate only, until {@code
 *     podsPerWorker})
 * @param onlyOn if not empty, workers run only on these nodes
 * @param opTimeout how long one allocation may wait for the router before its outcome counts as
 *     unknown (default 10 s)
 */
public record WorkloadSpec(
        int workersPerNode,
        int podsPerWorker,
        Duration think,
        boolean releases,
        List<String> onlyOn,
        Duration opTimeout) {

    public static final WorkloadSpec DEFAULT =
            new WorkloadSpec(1, 6, Duration.ofMillis(150), true, List.of(), Duration.ofSeconds(10));

    public WorkloadSpec {
        onlyOn = List.copyOf(onlyOn);
        if (workersPerNode < 1 || podsPerWorker < 1) {
            throw new IllegalArgumentException("need at least one worker and one pod");
        }
    }

    /** Workers only on {@code nodes}, allocating up to {@code pods} each and never releasing. */
    public WorkloadSpec allocatingOnlyOn(List<String> nodes, int pods) {
        return new WorkloadSpec(workersPerNode, pods, think, false, nodes, opTimeout);
    }
}
