package dev.weft.faults.scenario;

import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;

/** Routers are killed with SIGKILL while pods are being given addresses, and restarted. */
public final class KillAndRestartDuringAllocations implements Scenario {

    @Override
    public String description() {
        return "kill -9 a router during allocations, restart it 8 s later; then another; acknowledged"
                + " addresses must survive";
    }

    @Override
    public WorkloadSpec workload() {
        return new WorkloadSpec(2, 6, Duration.ofMillis(100), true, List.of(), Duration.ofSeconds(10));
    }

    @Override
    public Plan plan(List<String> nodes, RandomGenerator random) {
        List<String> s = Sides.shuffled(nodes, random);
        return Plan.builder()
                .quiet(Duration.ofSeconds(4))
                .hold(new FaultSpec.Kill(s.get(0)), Duration.ofSeconds(8))
                .quiet(Duration.ofSeconds(4))
                .hold(new FaultSpec.Kill(s.get(1 % s.size())), Duration.ofSeconds(8))
                .quiet(Duration.ofSeconds(5))
                .build();
    }
}
