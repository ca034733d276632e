package dev.weft.faults.report;

import dev.weft.faults.check.Verdict;
import java.util.List;
import java.util.Locale;

/**
 * The totals of a report: what its last line says. Runs against deliberately broken builds (their
 * scenario is labelled {@code broken:NAME}) are counted apart: they are meant to fail, so they
 * are not in the totals or the verdict.
 *
 * @param scenarios distinct scenarios run
 * @param runs runs in all
 * @param duplicates addresses held twice, summed over runs
 * @param lost acknowledged allocations lost, summed over runs
 * @param maxHealSeconds the slowest time from a final heal to full reachability, or -1 when no
 *     run measured it (no data plane to probe)
 * @param verdict PASS only when every checker of every run passed; FAIL when any failed;
 *     INCOMPLETE when none failed but some could not judge
 * @param brokenRuns runs against broken builds
 * @param brokenFailed of those, the runs some checker failed
 */
public record Summary(
        int scenarios,
        int runs,
        long duplicates,
        long lost,
        double maxHealSeconds,
        String verdict,
        int brokenRuns,
        int brokenFailed) {

    /** The label prefix of runs against deliberately broken builds. */
    public static final String BROKEN = "broken:";

    public static Summary of(List<ScenarioRun> all) {
        List<ScenarioRun> runs =
                all.stream().filter(r -> !r.scenario().startsWith(BROKEN)).toList();
        List<ScenarioRun> broken =
                all.stream().filter(r -> r.scenario().startsWith(BROKEN)).toList();
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
        int brokenFailed = (int)
                broken.stream().filter(r -> r.result() == Verdict.Result.FAIL).count();
        return new Summary(scenarios, runs.size(), dup, lost, heal, verdict, broken.size(), brokenFailed);
    }

    /**
     * {@code scenarios=N runs=R duplicates=D lost=L max_heal_s=S verdict=V} (S is n/a when
     * unmeasured), followed by {@code broken_runs=B broken_failed=F} when there were broken builds.
     */
    public String line() {
        String line = String.format(
                Locale.ROOT,
                "scenarios=%d runs=%d duplicates=%d lost=%d max_heal_s=%s verdict=%s",
                scenarios,
                runs,
                duplicates,
                lost,
                maxHealSeconds < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", maxHealSeconds),
                verdict);
        return brokenRuns == 0
                ? line
                : line + String.format(Locale.ROOT, " broken_runs=%d broken_failed=%d", brokenRuns, brokenFailed);
    }
}
