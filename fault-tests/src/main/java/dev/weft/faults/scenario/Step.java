package dev.weft.faults.scenario;

import java.time.Duration;

/** One step of a scenario's plan, run in order while the workload runs. */
public sealed interface Step {

    /** Let the workload run for {@code d}. */
    record Quiet(Duration d) implements Step {}

    /** Inflict {@code fault}. */
    record Start(FaultSpec fault) implements Step {}

    /** Undo {@code fault} (it must have been started and be undoable). */
    record Stop(FaultSpec fault) implements Step {}

    /**
     * Start and stop {@code fault} {@code times} times: {@code on} with it, {@code off} without.
     */
    record Flap(FaultSpec fault, Duration on, Duration off, int times) implements Step {
        public Flap {
            if (times < 1) {
                throw new IllegalArgumentException("a flap needs at least one cycle: " + times);
            }
        }
    }
}
