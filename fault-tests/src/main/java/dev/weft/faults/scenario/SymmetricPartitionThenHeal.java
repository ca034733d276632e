package dev.weft.faults.scenario;

import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;

/** The nodes split into a majority and a minority that cannot reach each other, then heal. */
public final class SymmetricPartitionThenHeal implements Scenario {

    @Override
    public String description() {
        return "a majority and a minority cannot reach each other for 20 s while both sides allocate; then heal";
    }

    @Override
    public Plan plan(List<String> nodes, RandomGenerator random) {
        return Plan.builder()
                .quiet(Duration.ofSeconds(5))
                .hold(new FaultSpec.Partition(Sides.majorityMinority(nodes, random)), Duration.ofSeconds(20))
                .quiet(Duration.ofSeconds(5))
                .build();
    }
}
