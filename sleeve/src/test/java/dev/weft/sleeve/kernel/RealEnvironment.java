package dev.weft.sleeve.kernel;

import dev.weft.gossip.api.Cancellable;
import dev.weft.gossip.api.Environment;
import dev.weft.gossip.api.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/** Actors on single-thread schedulers with the real clock: enough to run an overlay in a test. */
public final class RealEnvironment implements Environment, AutoCloseable {
    private final java.util.List<ScheduledExecutorService> executors =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public Scheduler newActor(String name) {
        ScheduledExecutorService ex = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "actor-" + name);
            t.setDaemon(true);
            return t;
        });
        executors.add(ex);
        Thread[] thread = new Thread[1];
        ex.execute(() -> thread[0] = Thread.currentThread());
        return new Scheduler() {
            @Override
            public Instant now() {
                return Clock.systemUTC().instant();
            }

            @Override
            public void execute(Runnable task) {
                ex.execute(task);
            }

            @Override
            public Cancellable schedule(Duration delay, Runnable task) {
                var f = ex.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
                return () -> f.cancel(false);
            }

            @Override
            public Cancellable scheduleBackground(Duration delay, Runnable task) {
                return schedule(delay, task);
            }

            @Override
            public boolean inScheduler() {
                return Thread.currentThread() == thread[0];
            }
        };
    }

    @Override
    public RandomGenerator newRandom() {
        return new java.security.SecureRandom();
    }

    @Override
    public InstantSource clock() {
        return Clock.systemUTC();
    }

    @Override
    public void close() {
        executors.forEach(ScheduledExecutorService::shutdownNow);
    }
}
