package dev.weft.faults.report;

import static dev.weft.faults.history.TestHistory.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.faults.check.DurableAllocations;
import dev.weft.faults.check.Reachability;
import dev.weft.faults.check.UniqueAddresses;
import dev.weft.faults.history.Fn;
import dev.weft.faults.history.History;
import dev.weft.faults.history.TestHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

    @TempDir
    Path dir;

    static History passing() {
        return new TestHistory("n1", "n2")
                .allocate("n1", "p1", "10.32.0.1/12", 1, 1.2)
                .fault(Fn.PARTITION, List.of("n1"), 2, 5)
                .allocate("n2", "p<2>", "10.32.0.2/12", 3, 3.4)
                .heal(6)
                .read("n1", 7, 7.1, Map.of("p1", "10.32.0.1/12"))
                .read("n2", 7, 7.1, Map.of("p<2>", "10.32.0.2/12"))
                .probe("n1", "p1", "n2", "p<2>", 7, 8.5, true)
                .probe("n2", "p<2>", "n1", "p1", 7, 7.5, true)
                .done();
    }

    static History duplicating() {
        return new TestHistory("n1", "n2")
                .allocate("n1", "p1", "10.32.0.1/12", 1, 1.2)
                .allocate("n2", "p2", "10.32.0.1/12", 2, 2.2)
                .heal(3)
                .view("n1", Fn.TOPOLOGY, 4, 4.1, json("{}"))
                .done();
    }

    static List<ScenarioRun> runs() {
        History a = passing();
        History b = duplicating();
        var checkers = List.of(new UniqueAddresses(), new DurableAllocations(), new Reachability());
        return List.of(
                new ScenarioRun(
                        "SymmetricPartitionThenHeal",
                        1,
                        42,
                        a,
                        "histories/a.jsonl",
                        checkers.stream().map(c -> c.check(a)).toList(),
                        List.of()),
                new ScenarioRun(
                        "Broken",
                        1,
                        7,
                        b,
                        "histories/b.jsonl",
                        checkers.stream().map(c -> c.check(b)).toList(),
                        List.of("no data plane: probes skipped")));
    }

    @Test
    void theSummaryLineCountsDuplicatesLossesAndTheSlowestHeal() {
        Summary s = Summary.of(runs());
        assertThat(s.line()).isEqualTo("scenarios=2 runs=2 duplicates=1 lost=0 max_heal_s=2.5 verdict=FAIL");
        assertThat(Summary.of(runs().subList(0, 1)).verdict()).isEqualTo("PASS");
        assertThat(Summary.of(List.of()).line())
                .isEqualTo("scenarios=0 runs=0 duplicates=0 lost=0 max_heal_s=n/a verdict=INCOMPLETE");
    }

    @Test
    void runsAgainstBrokenBuildsAreCountedApartFromTheVerdict() {
        List<ScenarioRun> runs = runs();
        ScenarioRun failing = runs.get(1);
        ScenarioRun broken = new ScenarioRun(
                Summary.BROKEN + "bug",
                1,
                failing.seed(),
                failing.history(),
                failing.historyFile(),
                failing.verdicts(),
                failing.notes());
        Summary s = Summary.of(List.of(runs.get(0), broken));
        assertThat(s.line())
                .isEqualTo("scenarios=1 runs=1 duplicates=0 lost=0 max_heal_s=2.5 verdict=PASS"
                        + " broken_runs=1 broken_failed=1");
    }

    @Test
    void writesAnHtmlPageWithTimelinesAndAJsonSummary() throws Exception {
        Summary s = ReportWriter.write(dir, runs());
        String html = Files.readString(dir.resolve("index.html"));
        assertThat(html)
                .contains(s.line())
                .contains("<svg class=\"timeline\"", "<svg class=\"latency\"")
                .contains("SymmetricPartitionThenHeal", "no data plane: probes skipped")
                .contains("p&lt;2&gt;")
                .doesNotContain("p<2>")
                .contains("10.32.0.1 held by p1");
        String json = Files.readString(dir.resolve("summary.json"));
        var o = json(json);
        assertThat(o.get("verdict").asText()).isEqualTo("FAIL");
        assertThat(o.get("duplicates").asLong()).isEqualTo(1);
        assertThat(o.get("results")).hasSize(2);
        assertThat(o.get("results").get(1).get("verdicts").get(0).get("anomalies"))
                .hasSize(1);
        assertThat(o.get("results").get(0).get("latency").get(0).get("f").asText())
                .isEqualTo("allocate");
    }

    @Test
    void niceAxisSteps() {
        assertThat(TimelineSvg.niceStep(0.7)).isEqualTo(1.0);
        assertThat(TimelineSvg.niceStep(3)).isEqualTo(5.0);
        assertThat(TimelineSvg.niceStep(12)).isEqualTo(20.0);
    }
}
