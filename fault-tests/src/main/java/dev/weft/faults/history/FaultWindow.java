package dev.weft.faults.history;

import java.util.List;

/**
 * A fault from its start to its stop.
 *
 * @param id the fault id
 * @param f its kind ({@link Fn})
 * @param nodes the nodes it affected
 * @param description what exactly was done
 * @param startNanos when it started
 * @param stopNanos when it was undone; the end of the history if it never was
 * @param stopped whether a stop event was recorded
 */
public record FaultWindow(
        long id, String f, List<String> nodes, String description, long startNanos, long stopNanos, boolean stopped) {

    public FaultWindow {
        nodes = List.copyOf(nodes);
    }
}
