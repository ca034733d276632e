package dev.weft.faults.check;

import static dev.weft.faults.history.TestHistory.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.faults.history.Fn;
import dev.weft.faults.history.History;
import dev.weft.faults.history.TestHistory;
import java.util.List;
import org.junit.jupiter.api.Test;

class GossipConvergenceTest {

    final GossipConvergence checker = new GossipConvergence();
    static final String FULL = "{\"n1\":[\"n2\",\"n3\"],\"n2\":[\"n1\",\"n3\"],\"n3\":[\"n1\",\"n2\"]}";

    @Test
    void allNodesReportingTheSameFullMeshPassWithTheTimeTheyFirstAgreed() {
        History h = new TestHistory("n1", "n2", "n3")
                .heal(10)
                .view("n1", Fn.TOPOLOGY, 11, 11.5, json("{\"n1\":[\"n2\"],\"n2\":[\"n1\"]}"))
                .view("n2", Fn.TOPOLOGY, 11, 11.5, json(FULL))
                .view("n3", Fn.TOPOLOGY, 11, 11.5, json(FULL))
                .view("n1", Fn.TOPOLOGY, 13, 14, json(FULL))
                .done();
        Verdict v = checker.check(h);
        assertThat(v.result()).as(v.anomalies().toString()).isEqualTo(Verdict.Result.PASS);
        assertThat(v.figure("converge_s", -1)).isEqualTo(4.0);
    }

    @Test
    void differentTopologiesFail() {
        History h = new TestHistory("n1", "n2", "n3")
                .heal(10)
                .view("n1", Fn.TOPOLOGY, 11, 11.5, json(FULL))
                .view("n2", Fn.TOPOLOGY, 11, 11.5, json(FULL))
                .view("n3", Fn.TOPOLOGY, 11, 11.5, json("{\"n3\":[]}"))
                .done();
        Verdict v = checker.check(h);
        assertThat(v.result()).isEqualTo(Verdict.Result.FAIL);
        assertThat(v.figures()).doesNotContainKey("converge_s");
    }

    @Test
    void aRemovedPeerStillInTheTopologyFails() {
        History h = new TestHistory("n1", "n2", "n3")
                .fault(Fn.REMOVE, List.of("n3"), 2, 2)
                .heal(10)
                .view("n1", Fn.TOPOLOGY, 11, 11.5, json(FULL))
                .view("n2", Fn.TOPOLOGY, 11, 11.5, json(FULL))
                .done();
        Verdict v = checker.check(h);
        assertThat(v.result()).isEqualTo(Verdict.Result.FAIL);
        assertThat(v.anomalies()).anySatisfy(a -> assertThat(a).contains("still lists n3"));
    }

    @Test
    void agreeingOnAPartialMeshIsNotConvergence() {
        String partial = "{\"n1\":[\"n2\"],\"n2\":[\"n1\"],\"n3\":[]}";
        History h = new TestHistory("n1", "n2", "n3")
                .heal(10)
                .view("n1", Fn.TOPOLOGY, 11, 11.5, json(partial))
                .view("n2", Fn.TOPOLOGY, 11, 11.5, json(partial))
                .view("n3", Fn.TOPOLOGY, 11, 11.5, json(partial))
                .done();
        Verdict v = checker.check(h);
        assertThat(v.result()).isEqualTo(Verdict.Result.FAIL);
        assertThat(v.anomalies()).contains("n1 has no established connection to n3");
    }
}
