package dev.weft.faults.check;

import dev.weft.faults.history.History;

/**
 * Judges a whole recorded history against one invariant. Implementations are pure functions of
 * the history: deterministic, side-effect free, callable from any thread.
 */
public interface Checker {

    /** A short stable name, e.g. {@code unique-addresses}. */
    String name();

    /** The verdict on {@code history}; never throws for a well-formed history. */
    Verdict check(History history);
}
