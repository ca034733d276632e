package dev.weft.faults.check;

import static dev.weft.faults.history.TestHistory.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.faults.history.Fn;
import dev.weft.faults.history.History;
import dev.weft.faults.history.TestHistory;
import java.util.List;
import org.junit.jupiter.api.Test;

class RingOwnershipTest {

    final RingOwnership checker = new RingOwnership();

    @Test
    void aRingOwnedByLivePeersSeenAlikeEverywherePasses() {
        String owners = "{\"owners\":{\"n1\":100,\"n2\":156}}";
        History h = new TestHistory("n1", "n2")
                .heal(5)
                .view("n1", Fn.RING, 6, 6.1, json(owners))
                .view("n2", Fn.RING, 6, 6.1, json(owners))
                .done();
        Verdict v = checker.check(h);
        assertThat(v.result()).isEqualTo(Verdict.Result.PASS);
        assertThat(v.figure("owners", -1)).isEqualTo(2);
    }

    @Test
    void spaceStillOwnedByARemovedNodeFails() {
        String owners = "{\"owners\":{\"n1\":100,\"n3\":156}}";
        History h = new TestHistory("n1", "n3")
                .fault(Fn.REMOVE, List.of("n3"), 2, 2)
                .heal(5)
                .view("n1", Fn.RING, 6, 6.1, json(owners))
                .done();
        Verdict v = checker.check(h);
        assertThat(v.result()).isEqualTo(Verdict.Result.FAIL);
        assertThat(v.summary()).contains("n3");
    }

    @Test
    void differentViewsFail() {
        History h = new TestHistory("n1", "n2")
                .heal(5)
                .view("n1", Fn.RING, 6, 6.1, json("{\"owners\":{\"n1\":100,\"n2\":156}}"))
                .view("n2", Fn.RING, 6, 6.1, json("{\"owners\":{\"n1\":128,\"n2\":128}}"))
                .done();
        assertThat(checker.check(h).result()).isEqualTo(Verdict.Result.FAIL);
    }

    @Test
    void readsBeforeTheHealAreNotJudged() {
        History h = new TestHistory("n1")
                .view("n1", Fn.RING, 1, 1.1, json("{\"owners\":{\"n9\":1}}"))
                .heal(5)
                .done();
        assertThat(checker.check(h).result()).isEqualTo(Verdict.Result.UNKNOWN);
    }
}
