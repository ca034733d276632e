package dev.weft.faults.report;

import dev.weft.faults.check.Verdict;
import dev.weft.faults.history.History;
import java.util.List;

/**
 * One run of one scenario, judged.
 *
 * @param scenario the scenario's name, e.g. {@code SymmetricPartitionThenHeal}
 * @param run the run number, from 1
 * @param seed the seed the run's randomness came from (to replay it)
 * @param history the recorded history
 * @param historyFile the history's file name relative to the report directory
 * @param verdicts each checker's verdict
 * @param notes what the run could not do and why (e.g. no data plane yet), shown in the report
 */
public record ScenarioRun(
        String scenario,
        int run,
        long seed,
        History history,
        String historyFile,
        List<Verdict> verdicts,
        List<String> notes) {

    public ScenarioRun {
        verdicts = List.copyOf(verdicts);
        notes = List.copyOf(notes);
    }

    /** FAIL if any checker failed, else UNKNOWN if any could not judge, else PASS. */
    public Verdict.Result result() {
        if (verdicts.stream().anyMatch(Verdict::failed)) {
            return Verdict.Result.FAIL;
        }
        if (verdicts.stream().anyMatch(v -> v.result() == Verdict.Result.UNKNOWN)) {
            return Verdict.Result.UNKNOWN;
        }
        return Verdict.Result.PASS;
    }

    /** The sum of {@code name} over the verdicts that report it. */
    public double sum(String name) {
        return verdicts.stream().mapToDouble(v -> v.figure(name, 0)).sum();
    }

    /** The largest {@code name} among the verdicts that report it, or -1 if none does. */
    public double max(String name) {
        return verdicts.stream().mapToDouble(v -> v.figure(name, -1)).max().orElse(-1);
    }
}
