package dev.weft.gossip.api;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;

/**
 * A serial executor with timers: an actor. Tasks submitted to one scheduler run one at a time, in
 * submission order, with happens-before between consecutive tasks, so state touched only from one
 * scheduler needs no locks. Protocol code never reads the real clock or sleeps; it asks its
 * scheduler for {@link #now()} and {@link #schedule} timers.
 *
 * <p>In production a scheduler runs its tasks on a thread pool shared with other actors; in the
 * simulator every scheduler runs on one thread in virtual time, so a whole mesh replays exactly
 * from a seed. Obtain schedulers from {@link Environment#newActor(String)}.
 *
 * <p>All methods may be called from any thread and never block. A task that throws is logged and
 * does not stop the scheduler.
 */
public interface Scheduler extends Executor {

    /**
     * This scheduler's clock: wall-clock time in production, virtual time in the simulator.
     * Non-decreasing across calls.
     */
    Instant now();

    /** Runs {@code task} on this actor as soon as earlier tasks are done. */
    @Override
    void execute(Runnable task);

    /**
     * Runs {@code task} on this actor after {@code delay} (zero or negative: as soon as possible).
     * Use for work that ends: coalescing timers, deadlines. The simulator's {@code
     * runUntilQuiescent()} waits for such timers.
     *
     * @return a handle that cancels the task if it has not started; cancelling twice is harmless
     */
    Cancellable schedule(Duration delay, Runnable task);

    /**
     * Like {@link #schedule} for work that recurs for as long as the system runs: periodic gossip,
     * heartbeats, connection retries. The simulator's {@code runUntilQuiescent()} does not wait for
     * background timers (it would never return); {@code advance(Duration)} runs them.
     */
    Cancellable scheduleBackground(Duration delay, Runnable task);

    /**
     * True when the calling thread may touch state confined to this actor right now: it is running
     * one of this actor's tasks (in production), or it is the simulator's thread, which runs every
     * actor one task at a time (in the simulator).
     */
    boolean inScheduler();
}
