package dev.weft.ipam.runtime;

import dev.weft.gossip.api.Cancellable;
import dev.weft.gossip.api.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Scheduler} on one dedicated thread with real time: for IPAM running without a mesh
 * (standalone use, the crash test's child process). In the router IPAM uses an actor from the
 * mesh's environment instead.
 */
final class ThreadActor implements Scheduler, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ThreadActor.class);

    private final ScheduledThreadPoolExecutor executor;
    private volatile Thread thread;

    ThreadActor(String name) {
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = Thread.ofPlatform().name(name).daemon(true).unstarted(r);
            thread = t;
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        // on close, pending timers (retry ticks, deadlines) are dropped, not waited for
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    }

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public void execute(Runnable task) {
        executor.execute(guard(task));
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        var f = executor.schedule(guard(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public Cancellable scheduleBackground(Duration delay, Runnable task) {
        return schedule(delay, task);
    }

    @Override
    public boolean inScheduler() {
        return Thread.currentThread() == thread;
    }

    private static Runnable guard(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("IPAM actor task failed", e);
            }
        };
    }

    /** Runs what is queued, then stops. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
