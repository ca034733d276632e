package dev.weft.fastpath.internal.overlay;

import dev.weft.gossip.api.Cancellable;
import dev.weft.gossip.api.Environment;
import dev.weft.gossip.api.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Virtual time for protocol tests: every actor runs on the test's thread, tasks run in time order
 * (then submission order) when the test calls {@link #runUntilIdle()} or {@link #advance}.
 */
final class ManualEnvironment implements Environment {
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private Instant now = Instant.parse("2025-01-01T00:00:00Z");
    private long order;

    private final class Task implements Comparable<Task>, Cancellable {
        final Instant due;
        final long seq = order++;
        final Runnable body;
        boolean cancelled;

        Task(Instant due, Runnable body) {
            this.due = due;
            this.body = body;
        }

        @Override
        public int compareTo(Task o) {
            int c = due.compareTo(o.due);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    @Override
    public Scheduler newActor(String name) {
        return new Scheduler() {
            @Override
            public Instant now() {
                return now;
            }

            @Override
            public void execute(Runnable task) {
                queue.add(new Task(now, task));
            }

            @Override
            public Cancellable schedule(Duration delay, Runnable task) {
                Task t = new Task(now.plus(delay.isNegative() ? Duration.ZERO : delay), task);
                queue.add(t);
                return t;
            }

            @Override
            public Cancellable scheduleBackground(Duration delay, Runnable task) {
                return schedule(delay, task);
            }

            @Override
            public boolean inScheduler() {
                return true;
            }
        };
    }

    @Override
    public RandomGenerator newRandom() {
        return new SplittableRandom(42);
    }

    @Override
    public InstantSource clock() {
        return () -> now;
    }

    /** Runs every task due now, including those they submit for now. */
    void runUntilIdle() {
        advance(Duration.ZERO);
    }

    /** Moves time forward by {@code d}, running every task due on the way in order. */
    void advance(Duration d) {
        Instant end = now.plus(d);
        while (!queue.isEmpty() && !queue.peek().due.isAfter(end)) {
            Task t = queue.poll();
            if (t.due.isAfter(now)) {
                now = t.due;
            }
            if (!t.cancelled) {
                t.body.run();
            }
        }
        now = end;
    }

    Instant now() {
        return now;
    }
}
