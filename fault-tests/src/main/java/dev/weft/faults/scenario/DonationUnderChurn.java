package dev.weft.faults.scenario;

import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Every node creates and deletes pods in a range too small for its share, so space moves between
 * peers all the time while donors hold allocations of their own; one router is frozen meanwhile.
 */
public final class DonationUnderChurn implements Scenario {

    @Override
    public String description() {
        return "in a 64-address range every node keeps up to 11 pods with churn (donations between peers"
                + " that hold allocations), one router SIGSTOPped for 8 s";
    }

    @Override
    public String ipRange() {
        return "10.32.0.0/26";
    }

    @Override
    public WorkloadSpec workload() {
        return new WorkloadSpec(1, 11, Duration.ofMillis(100), true, List.of(), Duration.ofSeconds(10));
    }

    @Override
    public Plan plan(List<String> nodes, RandomGenerator random) {
        return Plan.builder()
                .quiet(Duration.ofSeconds(8))
                .hold(new FaultSpec.Pause(Sides.shuffled(nodes, random).getFirst()), Duration.ofSeconds(8))
                .quiet(Duration.ofSeconds(8))
                .build();
    }
}
