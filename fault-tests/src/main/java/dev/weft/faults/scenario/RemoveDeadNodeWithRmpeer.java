package dev.weft.faults.scenario;

import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;

/** A node dies for good and an operator runs {@code weft rmpeer} for it on exactly one survivor. */
public final class RemoveDeadNodeWithRmpeer implements Scenario {

    @Override
    public String description() {
        return "a node is destroyed and weft rmpeer run for it on one survivor; its space must pass to live"
                + " peers and no address may be handed out twice";
    }

    @Override
    public Plan plan(List<String> nodes, RandomGenerator random) {
        List<String> s = Sides.shuffled(nodes, random);
        return Plan.builder()
                .quiet(Duration.ofSeconds(6))
                .start(new FaultSpec.Remove(s.get(0), s.get(1)))
                .quiet(Duration.ofSeconds(12))
                .build();
    }
}
