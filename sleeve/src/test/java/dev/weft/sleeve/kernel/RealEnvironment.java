package dev.weft.sleeve.kernel;

import dev.weft.gossip.api.Cancellable;
import dev.weft.gossip.api.Environment;
import dev.weft.gossip.api.Scheduler;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/** Actors on single-thread schedulers and the real clock: enough to run overlays (sleeve, fast path) on real kernels. */
public final class RealEnvironment implements Environment, AutoCloseable {
    private final List<ScheduledExecutorService> executors = new CopyOnWriteArrayList<>();

    @Override
    public Scheduler newActor(String name) {
        Thread[] thread = new Thread[1];
        ScheduledExecutorService ex = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "actor-" + name);
            t.setDaemon(true);
            thread[0] = t;
            return t;
        });
        executors.add(ex);
        return new Scheduler() {
            @Override
            public Instant now() {
                return Clock.systemUTC().instant();
            }

            @Override
            public void execute(Runnable task) {
                ex.execute(logged(task));
            }

            @Override
            public Cancellable schedule(Duration delay, Runnable task) {
                ScheduledFuture<?> f = ex.schedule(logged(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
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

    /** A task that throws is printed and does not stop the actor (the Scheduler contract). */
    private static Runnable logged(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                e.printStackTrace();
            }
        };
    }

    @Override
    public RandomGenerator newRandom() {
        return new SecureRandom();
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
