package dev.weft.faults.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.faults.history.Fn;
import dev.weft.faults.history.History;
import dev.weft.faults.history.TestHistory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UniqueAddressesTest {

    final UniqueAddresses checker = new UniqueAddresses();

    @Test
    void anAddressMayBeReusedAfterItsReleaseStarted() {
        History h = new TestHistory("n1", "n2")
                .allocate("n1", "p1", "10.32.0.1/12", 1, 2)
                .release("n1", "p1", 3, 3.5, "ok")
                .allocate("n2", "p2", "10.32.0.1/12", 4, 5)
                .done();
        Verdict v = checker.check(h);
        assertThat(v.result()).isEqualTo(Verdict.Result.PASS);
        assertThat(v.figure("duplicates", -1)).isZero();
        assertThat(v.figure("acknowledged_allocations", -1)).isEqualTo(2);
    }

    @Test
    void twoPodsHoldingOneAddressAtOnceFail() {
        History h = new TestHistory("n1", "n2")
                .allocate("n1", "p1", "10.32.0.1/12", 1, 2)
                .allocate("n2", "p2", "10.32.0.1/12", 3, 4)
                .allocate("n2", "p3", "10.32.0.2/12", 3, 4)
                .done();
        Verdict v = checker.check(h);
        assertThat(v.result()).isEqualTo(Verdict.Result.FAIL);
        assertThat(v.figure("duplicates", -1)).isEqualTo(1);
        assertThat(v.anomalies()).singleElement().asString().contains("10.32.0.1", "p1", "p2");
    }

    @Test
    void aReleaseWithUnknownOutcomeEndsTheCertainHoldButAFailedOneDoesNot() {
        History unknown = new TestHistory("n1")
                .allocate("n1", "p1", "10.32.0.1/12", 1, 2)
                .release("n1", "p1", 3, 13, "info")
                .allocate("n1", "p2", "10.32.0.1/12", 4, 5)
                .done();
        assertThat(checker.check(unknown).result()).isEqualTo(Verdict.Result.PASS);
        History failed = new TestHistory("n1")
                .allocate("n1", "p1", "10.32.0.1/12", 1, 2)
                .release("n1", "p1", 3, 3.1, "fail")
                .allocate("n1", "p2", "10.32.0.1/12", 4, 5)
                .done();
        assertThat(checker.check(failed).result()).isEqualTo(Verdict.Result.FAIL);
    }

    @Test
    void overlapOnlyDuringAnAllocationsUncertainWindowIsNoDuplicate() {
        // p2's allocation was in flight (1.5..3.5) when p1's release started (3): the router may
        // have freed p1's address first and given it to p2. Legal.
        History fine = new TestHistory("n1")
                .allocate("n1", "p1", "10.32.0.1/12", 1, 2)
                .allocate("n1", "p2", "10.32.0.1/12", 1.5, 3.5)
                .release("n1", "p1", 3, 4, "ok")
                .done();
        assertThat(checker.check(fine).result()).isEqualTo(Verdict.Result.PASS);
        // The release started only after p2 was acknowledged: both certainly held it at 3.5..4.
        History dup = new TestHistory("n1")
                .allocate("n1", "p1", "10.32.0.1/12", 1, 2)
                .allocate("n1", "p2", "10.32.0.1/12", 1.5, 3.5)
                .release("n1", "p1", 4, 4.5, "ok")
                .done();
        assertThat(checker.check(dup).result()).isEqualTo(Verdict.Result.FAIL);
    }

    @Test
    void podsOfARemovedNodeAreGoneFromItsRemoval() {
        History h = new TestHistory("n1", "n3")
                .allocate("n3", "p1", "10.32.0.1/12", 1, 2)
                .fault(Fn.REMOVE, List.of("n3"), 5, 5)
                .allocate("n1", "p2", "10.32.0.1/12", 6, 7)
                .done();
        assertThat(checker.check(h).result()).isEqualTo(Verdict.Result.PASS);
    }

    @Test
    void aReadListingOneAddressForTwoPodsFails() {
        History h = new TestHistory("n1")
                .read("n1", 1, 1.1, Map.of("p1", "10.32.0.1/12", "p2", "10.32.0.1/12"))
                .done();
        Verdict v = checker.check(h);
        assertThat(v.result()).isEqualTo(Verdict.Result.FAIL);
        assertThat(v.anomalies()).singleElement().asString().contains("reported for");
    }

    @Test
    void finalReadsOfDifferentNodesMustNotShareAnAddress() {
        History h = new TestHistory("n1", "n2")
                .heal(10)
                .read("n1", 11, 11.1, Map.of("p1", "10.32.0.1/12"))
                .read("n2", 11, 11.2, Map.of("p7", "10.32.0.1/12"))
                .done();
        assertThat(checker.check(h).result()).isEqualTo(Verdict.Result.FAIL);
    }

    @Test
    void nothingToJudgeIsUnknownNotPass() {
        History h = new TestHistory("n1").heal(1).done();
        assertThat(checker.check(h).result()).isEqualTo(Verdict.Result.UNKNOWN);
    }
}
