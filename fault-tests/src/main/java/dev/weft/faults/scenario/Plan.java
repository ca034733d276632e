package dev.weft.faults.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A scenario's script: steps run in order while the workload runs; afterwards the runner heals
 * every fault (the final heal) and the checkers judge. Immutable.
 *
 * @param steps the steps
 */
public record Plan(List<Step> steps) {

    public Plan {
        steps = List.copyOf(steps);
    }

    /** A plan builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** This plan with every duration multiplied by {@code factor} (shorter runs for the smoke). */
    public Plan scaled(double factor) {
        List<Step> s = new ArrayList<>();
        for (Step step : steps) {
            s.add(
                    switch (step) {
                        case Step.Quiet q -> new Step.Quiet(scale(q.d(), factor));
                        case Step.Flap f ->
                            new Step.Flap(f.fault(), scale(f.on(), factor), scale(f.off(), factor), f.times());
                        default -> step;
                    });
        }
        return new Plan(s);
    }

    /** The time the steps take, not counting the faults' own application time. */
    public Duration duration() {
        Duration d = Duration.ZERO;
        for (Step step : steps) {
            d = d.plus(
                    switch (step) {
                        case Step.Quiet q -> q.d();
                        case Step.Flap f -> f.on().plus(f.off()).multipliedBy(f.times());
                        default -> Duration.ZERO;
                    });
        }
        return d;
    }

    private static Duration scale(Duration d, double factor) {
        return Duration.ofMillis(Math.max(500, Math.round(d.toMillis() * factor)));
    }

    /** Builds a {@link Plan}. */
    public static final class Builder {
        private final List<Step> steps = new ArrayList<>();

        public Builder quiet(Duration d) {
            steps.add(new Step.Quiet(d));
            return this;
        }

        public Builder start(FaultSpec f) {
            steps.add(new Step.Start(f));
            return this;
        }

        public Builder stop(FaultSpec f) {
            steps.add(new Step.Stop(f));
            return this;
        }

        /** Start {@code f}, let {@code d} pass, stop it. */
        public Builder hold(FaultSpec f, Duration d) {
            return start(f).quiet(d).stop(f);
        }

        public Builder flap(FaultSpec f, Duration on, Duration off, int times) {
            steps.add(new Step.Flap(f, on, off, times));
            return this;
        }

        public Plan build() {
            return new Plan(steps);
        }
    }
}
