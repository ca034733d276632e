package dev.weft.faults.report;

import dev.weft.faults.check.Verdict;
import java.util.List;
import java.util.Locale;

/**
 * The totals of a report: what its last line says.
 *
 * @param scenarios distinct scenarios run
 * @param runs runs in all
 * @param duplicates addresses held twice, summed over runs
 * @param lost acknowledged allocations lost, summed over runs
 * @param maxHealSeconds the slowest time from a final heal to full reachability, or -1 when no
 *     run measured it (no data plane to probe)
 * @param verdict PASS only when every checker of every run passed; FAIL when any failed;
 *     INCOMPLETE when none failed but some could not judge
 */
public record Summary(int scenarios, int runs, long duplicates, long lost, double maxHealSeconds, String verdict) {

    public static Summary of(List<ScenarioRun> runs) {
        long dup =
                Math.round(runs.stream().mapToDouble(r -> r.sum("duplicates")).sum());
        long lost = Math.round(runs.stream().mapToDouble(r -> r.sum("lost")).sum());
        double heal = runs.stream().mapToDouble(r -> r.max("heal_s")).max().orElse(-1);
        String verdict;
        if (runs.isEmpty()) {
            verdict = "INCOMPLETE";
        } else if (runs.stream().anyMatch(r -> r.result() == Verdict.Result.FAIL)) {
            verdict = "FAIL";
        } else if (runs.stream().anyMatch(r -> r.result() == Verdict.Result.UNKNOWN)) {
            verdict = "INCOMPLETE";
        } else {
            verdict = "PASS";
        }
        int scenarios =
                (int) runs.stream().map(ScenarioRun::scenario).distinct().count();
        return new Summary(scenarios, runs.size(), dup, lost, heal, verdict);
    }

    /** {@code scenarios=N runs=R duplicates=D lost=L max_heal_s=S verdict=V} (S is n/a when unmeasured). */
    public String line() {
        return String.format(
                Locale.ROOT,
                "scenarios=%d runs=%d duplicates=%d lost=%d max_heal_s=%s verdict=%s",
                scenarios,
                runs,
                duplicates,
                lost,
                maxHealSeconds < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", maxHealSeconds),
                verdict);
    }
}
