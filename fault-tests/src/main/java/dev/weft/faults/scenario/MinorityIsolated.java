package dev.weft.faults.scenario;

import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;

/** A minority of nodes is taken off the network altogether (docker network disconnect), then back. */
public final class MinorityIsolated implements Scenario {

    @Override
    public String description() {
        return "a minority of nodes disconnected from the network (each alone) for 20 s, then reconnected";
    }

    @Override
    public Plan plan(List<String> nodes, RandomGenerator random) {
        List<String> minority = Sides.majorityMinority(nodes, random).get(1);
        return Plan.builder()
                .quiet(Duration.ofSeconds(5))
                .hold(new FaultSpec.Isolate(minority), Duration.ofSeconds(20))
                .quiet(Duration.ofSeconds(5))
                .build();
    }
}
