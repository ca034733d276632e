package dev.weft.faults.scenario;

import dev.weft.faults.history.Fn;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One fault the nemesis can inflict, as data: what to do to which nodes. The runtime's nemesis
 * applies and undoes it; the history records it under {@link #f()} with {@link #nodes()}.
 */
public sealed interface FaultSpec {

    /** The fault's kind as written in the history ({@link Fn}). */
    String f();

    /** The nodes it affects. */
    List<String> nodes();

    /** What exactly is done, for the history and the report. */
    String describe();

    /** Whether it can be undone (a removed node stays removed). */
    default boolean undoable() {
        return true;
    }

    /** The sides cannot reach each other; nodes on one side still can (iptables in every node). */
    record Partition(List<List<String>> sides) implements FaultSpec {
        public Partition {
            sides = sides.stream().map(List::copyOf).toList();
            if (sides.size() < 2 || sides.stream().anyMatch(List::isEmpty)) {
                throw new IllegalArgumentException("a partition needs at least two non-empty sides: " + sides);
            }
        }

        @Override
        public String f() {
            return Fn.PARTITION;
        }

        @Override
        public List<String> nodes() {
            return sides.stream().flatMap(List::stream).toList();
        }

        @Override
        public String describe() {
            List<String> s = new ArrayList<>();
            sides.forEach(side -> s.add(String.join(" ", side)));
            return String.join(" | ", s);
        }
    }

    /** Each node is taken off the network altogether ({@code docker network disconnect}). */
    record Isolate(List<String> nodes) implements FaultSpec {
        public Isolate {
            nodes = List.copyOf(nodes);
        }

        @Override
        public String f() {
            return Fn.ISOLATE;
        }

        @Override
        public String describe() {
            return "disconnected from the network: " + String.join(" ", nodes);
        }
    }

    /** Every packet from {@code from} to {@code to} is dropped; the other direction flows. */
    record Cut(String from, String to) implements FaultSpec {
        @Override
        public String f() {
            return Fn.CUT;
        }

        @Override
        public List<String> nodes() {
            return List.of(from, to);
        }

        @Override
        public String describe() {
            return from + " -> " + to + " dropped (one way)";
        }
    }

    /** Each packet a node receives from the other nodes is dropped with probability {@code p}. */
    record Loss(List<String> nodes, double p) implements FaultSpec {
        public Loss {
            nodes = List.copyOf(nodes);
            if (!(p > 0 && p < 1)) {
                throw new IllegalArgumentException("loss probability must be in (0, 1): " + p);
            }
        }

        @Override
        public String f() {
            return Fn.LOSS;
        }

        @Override
        public String describe() {
            return String.format(Locale.ROOT, "%.0f%% of incoming packets dropped on %s", p * 100, nodes);
        }
    }

    /** The router is killed with SIGKILL; undoing restarts it with its state directory intact. */
    record Kill(String node) implements FaultSpec {
        @Override
        public String f() {
            return Fn.KILL;
        }

        @Override
        public List<String> nodes() {
            return List.of(node);
        }

        @Override
        public String describe() {
            return "kill -9 the router on " + node + ", later restart it";
        }
    }

    /** The router is stopped with SIGSTOP; undoing continues it (SIGCONT). */
    record Pause(String node) implements FaultSpec {
        @Override
        public String f() {
            return Fn.PAUSE;
        }

        @Override
        public List<String> nodes() {
            return List.of(node);
        }

        @Override
        public String describe() {
            return "SIGSTOP the router on " + node + ", later SIGCONT";
        }
    }

    /**
     * The node is removed for good (router killed, container destroyed) and {@code weft rmpeer}
     * run for it on {@code via}, once.
     */
    record Remove(String node, String via) implements FaultSpec {
        @Override
        public String f() {
            return Fn.REMOVE;
        }

        @Override
        public List<String> nodes() {
            return List.of(node);
        }

        @Override
        public String describe() {
            return node + " destroyed; weft rmpeer for it on " + via;
        }

        @Override
        public boolean undoable() {
            return false;
        }
    }
}
