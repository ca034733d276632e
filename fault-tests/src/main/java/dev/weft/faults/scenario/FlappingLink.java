package dev.weft.faults.scenario;

import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;

/** One link goes down and up again every few seconds. */
public final class FlappingLink implements Scenario {

    @Override
    public String description() {
        return "the link between two nodes goes down for 3 s and up for 3 s, six times";
    }

    @Override
    public Plan plan(List<String> nodes, RandomGenerator random) {
        List<String> s = Sides.shuffled(nodes, random);
        FaultSpec link = new FaultSpec.Partition(List.of(List.of(s.get(0)), List.of(s.get(1))));
        return Plan.builder()
                .quiet(Duration.ofSeconds(4))
                .flap(link, Duration.ofSeconds(3), Duration.ofSeconds(3), 6)
                .quiet(Duration.ofSeconds(4))
                .build();
    }
}
