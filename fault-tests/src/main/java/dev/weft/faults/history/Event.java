package dev.weft.faults.history;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One line of a history. Operations appear twice: an {@link Type#INVOKE} when a worker starts
 * them and an {@link Type#OK}, {@link Type#FAIL} or {@link Type#INFO} (outcome unknown, e.g. a
 * timeout) when they complete, joined by {@code op}. Nemesis faults appear as a {@link
 * Type#NEMESIS_START} and a {@link Type#NEMESIS_STOP}, joined by {@code op} too.
 *
 * @param index position in the history, from 0
 * @param timeNanos nanoseconds since the run started (monotonic clock)
 * @param type what happened
 * @param op the operation (or fault) id this event belongs to; 0 for {@link Type#META}
 * @param process the worker that ran the operation ({@code nemesis} for faults)
 * @param node the node the operation ran on (null for faults spanning nodes)
 * @param f the operation's or fault's kind, see {@link Fn}
 * @param pod the pod the operation concerns, or null
 * @param nodes the nodes a fault affects (empty for operations)
 * @param value the operation's argument (invoke) or result (ok), shape per {@link Fn}; or null
 * @param error why a FAIL or INFO happened, or null
 */
public record Event(
        long index,
        long timeNanos,
        Type type,
        long op,
        String process,
        String node,
        String f,
        String pod,
        List<String> nodes,
        JsonNode value,
        String error) {

    /** The kinds of history lines. */
    public enum Type {
        META,
        INVOKE,
        OK,
        FAIL,
        INFO,
        NEMESIS_START,
        NEMESIS_STOP;

        /** The lower-case name written in the JSON lines. */
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        /** The type named {@code s} in a JSON line. */
        public static Type fromWire(String s) {
            return valueOf(s.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        }

        /** True for OK, FAIL and INFO. */
        public boolean completes() {
            return this == OK || this == FAIL || this == INFO;
        }
    }

    public Event {
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
    }

    /** Seconds since the run started. */
    public double seconds() {
        return timeNanos / 1e9;
    }
}
