package dev.weft.faults.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.faults.history.Fn;
import dev.weft.faults.history.History;
import dev.weft.faults.history.TestHistory;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReachabilityTest {

    final Reachability checker = new Reachability();

    @Test
    void everyPairReachedWithinTheBoundPassesAndReportsTheSlowestPair() {
        History h = new TestHistory("n1", "n2")
                .heal(10)
                .probe("n1", "a", "n2", "b", 10.5, 11, false)
                .probe("n1", "a", "n2", "b", 12, 13, true)
                .probe("n2", "b", "n1", "a", 11, 12, true)
                .done();
        Verdict v = checker.check(h);
        assertThat(v.result()).isEqualTo(Verdict.Result.PASS);
        assertThat(v.figure("heal_s", -1)).isEqualTo(3.0);
        assertThat(v.figure("pairs", -1)).isEqualTo(2);
    }

    @Test
    void aPairNeverReachedFails() {
        History h = new TestHistory("n1", "n2")
                .heal(10)
                .probe("n1", "a", "n2", "b", 11, 12, true)
                .probe("n2", "b", "n1", "a", 11, 12, false)
                .probe("n2", "b", "n1", "a", 20, 21, false)
                .done();
        Verdict v = checker.check(h);
        assertThat(v.result()).isEqualTo(Verdict.Result.FAIL);
        assertThat(v.anomalies()).anySatisfy(a -> assertThat(a).contains("b@n2 -> a@n1", "2 probes"));
    }

    @Test
    void reachingOnlyAfterTheBoundFails() {
        History h = new TestHistory("n1", "n2")
                .heal(10)
                .probe("n1", "a", "n2", "b", 11, 12, true)
                .probe("n2", "b", "n1", "a", 40, 41, true)
                .done();
        assertThat(checker.check(h).result()).isEqualTo(Verdict.Result.FAIL);
    }

    @Test
    void everyPairOfLiveNodesMustBeProbed() {
        History h = new TestHistory("n1", "n2", "n3")
                .heal(10)
                .probe("n1", "a", "n2", "b", 11, 12, true)
                .probe("n2", "b", "n1", "a", 11, 12, true)
                .done();
        Verdict v = checker.check(h);
        assertThat(v.result()).isEqualTo(Verdict.Result.FAIL);
        assertThat(v.anomalies()).contains("no pod on n1 reached a pod on n3 after the heal");
    }

    @Test
    void probesBeforeTheHealDoNotCountAndNoProbesIsUnknown() {
        History h = new TestHistory("n1", "n2")
                .probe("n1", "a", "n2", "b", 1, 2, true)
                .heal(10)
                .done();
        assertThat(checker.check(h).result()).isEqualTo(Verdict.Result.UNKNOWN);
    }

    @Test
    void theBoundCountsFromTheEndOfTheHealNotItsStart() {
        // Undoing the faults took the harness 20 s (container calls under load): a pair reached
        // 25 s after the heal began but 5 s after it ended is within the bound.
        History h = new TestHistory("n1", "n2")
                .fault(Fn.HEAL, List.of(), 10, 30)
                .probe("n1", "a", "n2", "b", 31, 32, true)
                .probe("n2", "b", "n1", "a", 34, 35, true)
                .done();
        Verdict v = checker.check(h);
        assertThat(v.result()).isEqualTo(Verdict.Result.PASS);
        assertThat(v.figure("heal_s", -1)).isEqualTo(5.0);
        History late = new TestHistory("n1", "n2")
                .fault(Fn.HEAL, List.of(), 10, 30)
                .probe("n1", "a", "n2", "b", 31, 32, true)
                .probe("n2", "b", "n1", "a", 61, 62, true)
                .done();
        assertThat(checker.check(late).result()).isEqualTo(Verdict.Result.FAIL);
    }
}
