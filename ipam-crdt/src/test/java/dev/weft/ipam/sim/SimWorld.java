package dev.weft.ipam.sim;

import dev.weft.gossip.api.Cancellable;
import dev.weft.gossip.api.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * Virtual time for IPAM tests: one event queue, one thread, replayable from a seed. Stands in until
 * the gossip module's simulator (weft-gossip-testkit) lands on main.
 */
public final class SimWorld {

    private record Event(long at, long seq, Runnable task) {}

    private final PriorityQueue<Event> queue =
            new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private long now;
    private long seq;
    public final Random random;

    public SimWorld(long seed) {
        this.random = new Random(seed);
    }

    public long nowNanos() {
        return now;
    }

    public void at(long delayNanos, Runnable task) {
        queue.add(new Event(now + Math.max(0, delayNanos), seq++, task));
    }

    /** Runs events until virtual time has advanced by {@code d}. */
    public void advance(Duration d) {
        long until = now + d.toNanos();
        while (!queue.isEmpty() && queue.peek().at <= until) {
            Event e = queue.poll();
            now = e.at;
            e.task.run();
        }
        now = until;
    }

    /** Advances in steps of {@code step} until {@code done} holds or {@code max} passed; returns success. */
    public boolean advanceUntil(BooleanSupplier done, Duration step, Duration max) {
        long limit = now + max.toNanos();
        while (now < limit) {
            if (done.getAsBoolean()) {
                return true;
            }
            advance(step);
        }
        return done.getAsBoolean();
    }

    /** An actor: tasks run in order; all of a crashed actor's pending tasks are dropped. */
    public final class Actor implements Scheduler {
        private boolean dead;
        private boolean running;

        public void kill() {
            dead = true;
        }

        @Override
        public Instant now() {
            return Instant.ofEpochSecond(0, now);
        }

        @Override
        public void execute(Runnable task) {
            at(0, () -> run(task));
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            boolean[] cancelled = {false};
            at(delay.toNanos(), () -> {
                if (!cancelled[0]) {
                    run(task);
                }
            });
            return () -> cancelled[0] = true;
        }

        @Override
        public Cancellable scheduleBackground(Duration delay, Runnable task) {
            return schedule(delay, task);
        }

        @Override
        public boolean inScheduler() {
            return running;
        }

        private void run(Runnable task) {
            if (dead) {
                return;
            }
            running = true;
            try {
                task.run();
            } finally {
                running = false;
            }
        }
    }
}
