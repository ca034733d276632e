package dev.weft.faults.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.faults.history.Fn;
import dev.weft.faults.history.History;
import dev.weft.faults.history.TestHistory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DurableAllocationsTest {

    final DurableAllocations checker = new DurableAllocations();

    @Test
    void anAllocationSurvivingARestartPasses() {
        History h = new TestHistory("n1")
                .allocate("n1", "p1", "10.32.0.1/12", 1, 2)
                .fault(Fn.KILL, List.of("n1"), 3, 6)
                .read("n1", 7, 7.2, Map.of("p1", "10.32.0.1/12"))
                .done();
        Verdict v = checker.check(h);
        assertThat(v.result()).isEqualTo(Verdict.Result.PASS);
        assertThat(v.figure("verified_pods", -1)).isEqualTo(1);
    }

    @Test
    void anAllocationMissingAfterARestartIsLost() {
        History h = new TestHistory("n1")
                .allocate("n1", "p1", "10.32.0.1/12", 1, 2)
                .allocate("n1", "p2", "10.32.0.2/12", 1, 2)
                .fault(Fn.KILL, List.of("n1"), 3, 6)
                .read("n1", 7, 7.2, Map.of("p2", "10.32.0.2/12"))
                .done();
        Verdict v = checker.check(h);
        assertThat(v.result()).isEqualTo(Verdict.Result.FAIL);
        assertThat(v.figure("lost", -1)).isEqualTo(1);
        assertThat(v.anomalies()).singleElement().asString().contains("p1", "does not list it");
    }

    @Test
    void anAllocationReadBackWithAnotherAddressIsLost() {
        History h = new TestHistory("n1")
                .allocate("n1", "p1", "10.32.0.1/12", 1, 2)
                .read("n1", 7, 7.2, Map.of("p1", "10.32.0.5/12"))
                .done();
        assertThat(checker.check(h).anomalies()).singleElement().asString().contains("says 10.32.0.5");
    }

    @Test
    void askingAgainForThePodMustReturnTheSameAddress() {
        History h = new TestHistory("n1")
                .allocate("n1", "p1", "10.32.0.1/12", 1, 2)
                .allocate("n1", "p1", "10.32.0.8/12", 5, 6)
                .read("n1", 7, 7.2, Map.of("p1", "10.32.0.8/12"))
                .done();
        Verdict v = checker.check(h);
        assertThat(v.result()).isEqualTo(Verdict.Result.FAIL);
        assertThat(v.anomalies().getFirst()).contains("without a release");
    }

    @Test
    void releasedPodsAndPodsOfRemovedNodesAreNotRequired() {
        History h = new TestHistory("n1", "n2")
                .allocate("n1", "p1", "10.32.0.1/12", 1, 2)
                .release("n1", "p1", 3, 9, "info")
                .allocate("n2", "p2", "10.32.0.2/12", 1, 2)
                .fault(Fn.REMOVE, List.of("n2"), 4, 4)
                .allocate("n1", "p3", "10.32.0.3/12", 1, 2)
                .read("n1", 10, 10.1, Map.of("p3", "10.32.0.3/12"))
                .done();
        assertThat(checker.check(h).result()).isEqualTo(Verdict.Result.PASS);
    }

    @Test
    void readsOverlappingTheAllocationDoNotCount() {
        // The read started before the allocation was acknowledged: it may not see it yet.
        History h = new TestHistory("n1")
                .read("n1", 1.5, 1.6, Map.of())
                .allocate("n1", "p1", "10.32.0.1/12", 1, 2)
                .done();
        assertThat(checker.check(h).result()).isEqualTo(Verdict.Result.UNKNOWN);
    }
}
