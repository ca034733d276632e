package dev.weft.faults.history;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A recorded run: its events, with operations and faults joined up. Immutable.
 *
 * <p>Pairing is by {@code op}: a completion without an invocation, or two completions for one
 * invocation, make the history malformed (an exception says which op), since checkers could not
 * judge it honestly.
 */
public final class History {

    private final List<Event> events;
    private final List<Op> ops;
    private final List<FaultWindow> faults;

    public History(List<Event> events) {
        this.events = List.copyOf(events);
        this.ops = joinOps(this.events, endNanos());
        this.faults = joinFaults(this.events, endNanos());
    }

    public List<Event> events() {
        return events;
    }

    /** Every operation, in invocation order. */
    public List<Op> ops() {
        return ops;
    }

    /** Operations of kind {@code f}, in invocation order. */
    public List<Op> ops(String f) {
        return ops.stream().filter(o -> o.f().equals(f)).toList();
    }

    /** Every fault, in start order. */
    public List<FaultWindow> faults() {
        return faults;
    }

    /** The META line's value, if there is one. */
    public Optional<JsonNode> meta() {
        return events.stream()
                .filter(e -> e.type() == Event.Type.META)
                .findFirst()
                .map(Event::value);
    }

    /** The time of the last event (0 for an empty history). */
    public long endNanos() {
        return events.isEmpty() ? 0 : events.getLast().timeNanos();
    }

    /**
     * Every node the history mentions: the META's {@code nodes} array, and any node an operation
     * ran on or a fault touched. Sorted.
     */
    public List<String> nodes() {
        TreeSet<String> s =
                new TreeSet<>(Comparator.comparing(History::naturalKey).thenComparing(Comparator.naturalOrder()));
        meta().map(m -> m.path("nodes")).ifPresent(a -> a.forEach(n -> s.add(n.asText())));
        events.forEach(e -> {
            if (e.node() != null) {
                s.add(e.node());
            }
            s.addAll(e.nodes());
        });
        return List.copyOf(s);
    }

    /** Nodes removed for good, with the time of their removal (start of the REMOVE fault). */
    public Map<String, Long> removedNodes() {
        Map<String, Long> m = new TreeMap<>();
        for (FaultWindow w : faults) {
            if (w.f().equals(Fn.REMOVE)) {
                w.nodes().forEach(n -> m.putIfAbsent(n, w.startNanos()));
            }
        }
        return m;
    }

    /** Nodes never removed. */
    public List<String> liveNodes() {
        Map<String, Long> removed = removedNodes();
        return nodes().stream().filter(n -> !removed.containsKey(n)).toList();
    }

    /**
     * When the final heal was complete: the end of the last HEAL fault (every fault undone on every
     * node), or its start if its end was not recorded. Convergence is timed from here: undoing the
     * faults takes the harness seconds of container calls under load, and that is not the
     * router's time to converge.
     */
    public Optional<Long> finalHealNanos() {
        return faults.stream()
                .filter(w -> w.f().equals(Fn.HEAL))
                .map(w -> w.stopped() ? w.stopNanos() : w.startNanos())
                .max(Long::compare);
    }

    /** Node name to router peer name, from the last successful IDENTIFY per node. */
    public Map<String, String> peerNames() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Op o : ops(Fn.IDENTIFY)) {
            if (o.ok() && o.result() != null && o.result().hasNonNull("peer")) {
                m.put(o.node(), o.result().get("peer").asText());
            }
        }
        return m;
    }

    private static List<Op> joinOps(List<Event> events, long end) {
        Map<Long, Event> open = new LinkedHashMap<>();
        Map<Long, Op> done = new LinkedHashMap<>();
        List<Long> order = new ArrayList<>();
        for (Event e : events) {
            if (e.type() == Event.Type.INVOKE) {
                if (open.containsKey(e.op()) || done.containsKey(e.op())) {
                    throw new IllegalArgumentException("op " + e.op() + " invoked twice (event " + e.index() + ")");
                }
                open.put(e.op(), e);
                order.add(e.op());
            } else if (e.type().completes()) {
                Event inv = open.remove(e.op());
                if (inv == null) {
                    throw new IllegalArgumentException("op " + e.op() + " completed "
                            + (done.containsKey(e.op()) ? "twice" : "without an invocation") + " (event " + e.index()
                            + ")");
                }
                done.put(
                        e.op(),
                        new Op(
                                e.op(),
                                inv.process(),
                                inv.node(),
                                inv.f(),
                                inv.pod(),
                                inv.value(),
                                inv.timeNanos(),
                                e.timeNanos(),
                                e.type(),
                                e.value(),
                                e.error()));
            }
        }
        for (Event inv : open.values()) {
            done.put(
                    inv.op(),
                    new Op(
                            inv.op(),
                            inv.process(),
                            inv.node(),
                            inv.f(),
                            inv.pod(),
                            inv.value(),
                            inv.timeNanos(),
                            end,
                            Event.Type.INFO,
                            null,
                            "never completed"));
        }
        return order.stream().map(done::get).toList();
    }

    private static List<FaultWindow> joinFaults(List<Event> events, long end) {
        Map<Long, Event> starts = new LinkedHashMap<>();
        Map<Long, Event> stops = new LinkedHashMap<>();
        for (Event e : events) {
            if (e.type() == Event.Type.NEMESIS_START) {
                starts.put(e.op(), e);
            } else if (e.type() == Event.Type.NEMESIS_STOP) {
                if (!starts.containsKey(e.op())) {
                    throw new IllegalArgumentException(
                            "fault " + e.op() + " stopped without a start (event " + e.index() + ")");
                }
                stops.putIfAbsent(e.op(), e);
            }
        }
        List<FaultWindow> w = new ArrayList<>();
        starts.forEach((op, s) -> {
            Event stop = stops.get(op);
            w.add(new FaultWindow(
                    op,
                    s.f(),
                    s.nodes(),
                    s.value() == null ? "" : s.value().asText(),
                    s.timeNanos(),
                    stop == null ? end : stop.timeNanos(),
                    stop != null));
        });
        return List.copyOf(w);
    }

    /** Sorts n2 before n10. */
    static String naturalKey(String name) {
        StringBuilder sb = new StringBuilder();
        String digits = name.replaceAll("\\D", "");
        sb.append(name.replaceAll("\\d", "")).append('\0');
        sb.append("0".repeat(Math.max(0, 12 - digits.length()))).append(digits);
        return sb.toString();
    }
}
