package dev.weft.faults.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every scenario's plan is well-formed, replays from its seed, and names only real nodes. */
class ScenarioPlansTest {

    static final List<String> NODES = List.of("n1", "n2", "n3", "n4", "n5");

    @Test
    void everyIssueScenarioExistsAndTheSmokeIsTwoOfThem() {
        assertThat(Scenarios.all().stream().map(Scenario::name))
                .contains(
                        "SymmetricPartitionThenHeal",
                        "MinorityIsolated",
                        "AsymmetricLinkLoss",
                        "FlappingLink",
                        "KillAndRestartDuringAllocations",
                        "PauseDuringDonation",
                        "RemoveDeadNodeWithRmpeer",
                        "PacketLossTenPercent");
        assertThat(Scenarios.SMOKE).hasSize(2).allSatisfy(n -> Scenarios.byName(n));
        assertThat(Scenarios.byName("flappinglink").name()).isEqualTo("FlappingLink");
        assertThatThrownBy(() -> Scenarios.byName("Nope")).hasMessageContaining("no scenario Nope");
    }

    @Test
    void plansAreWellFormedAndReplayFromTheirSeed() {
        for (Scenario s : Scenarios.all()) {
            Plan a = s.plan(NODES, new SplittableRandom(7));
            Plan b = Scenarios.byName(s.name()).plan(NODES, new SplittableRandom(7));
            assertThat(a).as(s.name()).isEqualTo(b);
            Set<FaultSpec> open = new HashSet<>();
            for (Step step : a.steps()) {
                switch (step) {
                    case Step.Start st -> {
                        assertThat(NODES).containsAll(st.fault().nodes());
                        assertThat(open.add(st.fault()))
                                .as(s.name() + " starts a fault twice")
                                .isTrue();
                        if (!st.fault().undoable()) {
                            open.remove(st.fault());
                        }
                    }
                    case Step.Stop st ->
                        assertThat(open.remove(st.fault()))
                                .as(s.name() + " stops a fault it did not start")
                                .isTrue();
                    case Step.Flap f -> assertThat(NODES).containsAll(f.fault().nodes());
                    case Step.Quiet q -> assertThat(q.d()).isPositive();
                }
            }
            assertThat(open).as(s.name() + " leaves faults for the final heal").isEmpty();
            assertThat(a.duration()).as(s.name()).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(60));
        }
    }

    @Test
    void aMajorityAndAMinorityCoverEveryNode() {
        List<List<String>> sides = Sides.majorityMinority(NODES, new SplittableRandom(3));
        assertThat(sides.get(0)).hasSize(3);
        assertThat(sides.get(1)).hasSize(2);
        assertThat(sides.get(0)).doesNotContainAnyElementsOf(sides.get(1));
        assertThat(Sides.majorityMinority(List.of("n1", "n2"), new SplittableRandom(1))
                        .get(1))
                .hasSize(1);
    }

    @Test
    void scalingShortensEveryWait() {
        Plan p = new FlappingLink().plan(NODES, new SplittableRandom(1));
        assertThat(p.scaled(0.5).duration()).isEqualTo(p.duration().dividedBy(2));
    }

    @Test
    void pauseDuringDonationAllocatesOnlyOnOneNodeThatIsNotPaused() {
        PauseDuringDonation s = new PauseDuringDonation();
        Plan p = s.plan(NODES, new SplittableRandom(11));
        List<String> allocating = s.workload().onlyOn();
        assertThat(allocating).hasSize(1);
        assertThat(s.workload().releases()).isFalse();
        assertThat(p.steps()).filteredOn(st -> st instanceof Step.Start).allSatisfy(st -> assertThat(
                        ((Step.Start) st).fault().nodes())
                .doesNotContainAnyElementsOf(allocating));
    }

    @Test
    void faultsDescribeThemselvesAndRejectNonsense() {
        assertThat(new FaultSpec.Partition(List.of(List.of("n1", "n2"), List.of("n3"))).describe())
                .isEqualTo("n1 n2 | n3");
        assertThat(new FaultSpec.Loss(List.of("n1"), 0.1).describe()).startsWith("10% ");
        assertThatThrownBy(() -> new FaultSpec.Partition(List.of(List.of("n1"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FaultSpec.Loss(List.of("n1"), 1.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
