package dev.weft.faults.scenario;

import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One node allocates far more than its share of a small range, so it must ask the others for
 * space, while two possible donors are frozen with SIGSTOP.
 */
public final class PauseDuringDonation implements Scenario {

    private String allocator;

    @Override
    public String description() {
        return "in a 64-address range one node allocates 40 pods (it must ask for space) while two donors"
                + " are SIGSTOPped for 15 s";
    }

    @Override
    public String ipRange() {
        return "10.32.0.0/26";
    }

    @Override
    public WorkloadSpec workload() {
        return WorkloadSpec.DEFAULT.allocatingOnlyOn(List.of(allocator == null ? "n1" : allocator), 40);
    }

    @Override
    public Plan plan(List<String> nodes, RandomGenerator random) {
        List<String> s = Sides.shuffled(nodes, random);
        allocator = s.get(0);
        return Plan.builder()
                .quiet(Duration.ofSeconds(2))
                .start(new FaultSpec.Pause(s.get(1)))
                .start(new FaultSpec.Pause(s.get(2 % s.size())))
                .quiet(Duration.ofSeconds(15))
                .stop(new FaultSpec.Pause(s.get(2 % s.size())))
                .stop(new FaultSpec.Pause(s.get(1)))
                .quiet(Duration.ofSeconds(8))
                .build();
    }
}
