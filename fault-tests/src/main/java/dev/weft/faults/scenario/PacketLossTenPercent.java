package dev.weft.faults.scenario;

import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;

/** Every node drops 10% of the packets it receives from the others. */
public final class PacketLossTenPercent implements Scenario {

    @Override
    public String description() {
        return "every node drops 10% of incoming packets (iptables statistic) for 25 s";
    }

    @Override
    public Plan plan(List<String> nodes, RandomGenerator random) {
        return Plan.builder()
                .quiet(Duration.ofSeconds(3))
                .hold(new FaultSpec.Loss(nodes, 0.10), Duration.ofSeconds(25))
                .quiet(Duration.ofSeconds(3))
                .build();
    }
}
