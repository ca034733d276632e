package dev.weft.faults.scenario;

import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;

/** Two links lose all packets in one direction only, then recover. */
public final class AsymmetricLinkLoss implements Scenario {

    @Override
    public String description() {
        return "two links drop every packet in one direction only (a->b, c->d) for 20 s, then recover";
    }

    @Override
    public Plan plan(List<String> nodes, RandomGenerator random) {
        List<String> s = Sides.shuffled(nodes, random);
        FaultSpec.Cut first = new FaultSpec.Cut(s.get(0), s.get(1));
        FaultSpec.Cut second = new FaultSpec.Cut(s.get(2 % s.size()), s.get(3 % s.size()));
        return Plan.builder()
                .quiet(Duration.ofSeconds(5))
                .start(first)
                .start(second)
                .quiet(Duration.ofSeconds(20))
                .stop(second)
                .stop(first)
                .quiet(Duration.ofSeconds(5))
                .build();
    }
}
