package dev.weft.gossip.testkit;

import dev.weft.gossip.api.Cancellable;
import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * The simulator's single-threaded event loop in virtual time. Events run in (time, sequence) order,
 * so tasks of one actor run in submission order and a run replays exactly. Foreground events are
 * work that ends (messages, deadlines, coalescing timers); background events recur for ever
 * (periodic gossip, retries): {@link #runUntilQuiescent} waits only for foreground work.
 *
 * <p>Only the thread that created the loop may drive it.
 */
public final class SimLoop {

    /** Virtual time zero. */
    public static final Instant EPOCH = Instant.parse("2025-01-01T00:00:00Z");

    static final class Event implements Cancellable {
        final long time;
        final long seq;
        final Runnable task;
        final boolean background;
        final SimEnvironment owner; // null: the network itself
        boolean cancelled;
        boolean done;
        private final SimLoop loop;

        Event(SimLoop loop, long time, long seq, Runnable task, boolean background, SimEnvironment owner) {
            this.loop = loop;
            this.time = time;
            this.seq = seq;
            this.task = task;
            this.background = background;
            this.owner = owner;
        }

        @Override
        public void cancel() {
            if (!cancelled && !done) {
                cancelled = true;
                if (!background) {
                    loop.foreground--;
                }
            }
        }

        static int order(Event a, Event o) {
            Event self = a;
            int c = Long.compare(self.time, o.time);
            return c != 0 ? c : Long.compare(self.seq, o.seq);
        }
    }

    private final PriorityQueue<Event> queue = new PriorityQueue<>(Event::order);
    // Events due now (zero delay) skip the heap: they all have time == now and increasing
    // sequence numbers, so merging this FIFO with the heap keeps the exact (time, seq) order.
    private final java.util.ArrayDeque<Event> immediate = new java.util.ArrayDeque<>();
    private final Thread owner = Thread.currentThread();
    private long now;
    private long seq;
    private long foreground;
    private long executed;
    private boolean running;

    /** Nanoseconds of virtual time since {@link #EPOCH}. */
    public long nanos() {
        return now;
    }

    /** The virtual time. */
    public Instant now() {
        return EPOCH.plusNanos(now);
    }

    /** Events executed so far. */
    public long executed() {
        return executed;
    }

    boolean isOwnerThread() {
        return Thread.currentThread() == owner;
    }

    Event schedule(long delayNanos, Runnable task, boolean background, SimEnvironment env) {
        Event e = new Event(this, now + Math.max(0, delayNanos), seq++, task, background, env);
        if (!background) {
            foreground++;
        }
        if (delayNanos <= 0) {
            immediate.add(e);
        } else {
            queue.add(e);
        }
        return e;
    }

    private void checkThread() {
        if (!isOwnerThread()) {
            throw new IllegalStateException("the simulation is driven only by the thread that created it");
        }
        if (running) {
            throw new IllegalStateException("the simulation is already running (called from inside a task?)");
        }
    }

    /** Runs one event; false if none is left. */
    private Event peekNext() {
        Event i = immediate.peekFirst();
        Event q = queue.peek();
        if (i == null) {
            return q;
        }
        return q != null && Event.order(q, i) < 0 ? q : i;
    }

    private boolean step() {
        Event e = peekNext();
        if (e == null) {
            return false;
        }
        if (e == immediate.peekFirst()) {
            immediate.pollFirst();
        } else {
            queue.poll();
        }
        if (e.cancelled) {
            return true;
        }
        e.done = true;
        if (!e.background) {
            foreground--;
        }
        now = e.time;
        if (e.owner != null && !e.owner.alive()) {
            return true;
        }
        executed++;
        e.task.run();
        return true;
    }

    /**
     * Runs events in time order until no foreground work is left (background timers due before
     * that run too).
     *
     * @param maxEvents a livelock guard
     * @throws IllegalStateException if more than {@code maxEvents} events ran
     */
    public void runUntilQuiescent(long maxEvents) {
        checkThread();
        running = true;
        try {
            long start = executed;
            while (foreground > 0) {
                if (!step()) {
                    break;
                }
                if (executed - start > maxEvents) {
                    throw new IllegalStateException("not quiescent after " + maxEvents
                            + " events (livelock?) at virtual time " + Duration.ofNanos(now));
                }
            }
        } finally {
            running = false;
        }
    }

    /** Runs every event due within {@code d}, then moves the clock to now + d. */
    public void advance(Duration d) {
        checkThread();
        running = true;
        try {
            long until = now + d.toNanos();
            for (Event e = peekNext(); e != null && e.time <= until; e = peekNext()) {
                step();
            }
            now = Math.max(now, until);
        } finally {
            running = false;
        }
    }

    /**
     * Runs events until {@code condition} holds (checked every {@code checkEvery} of virtual time)
     * or {@code limit} of virtual time has passed.
     *
     * @return true if the condition held
     */
    public boolean runUntil(BooleanSupplier condition, Duration limit, Duration checkEvery) {
        checkThread();
        long until = now + limit.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (now >= until) {
                return false;
            }
            advance(Duration.ofNanos(Math.min(checkEvery.toNanos(), until - now)));
        }
    }
}
