package dev.weft.gossip.runtime;

import dev.weft.gossip.api.Cancellable;
import dev.weft.gossip.api.Environment;
import dev.weft.gossip.api.Scheduler;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production environment: the system clock, actors as serial queues on a shared pool of
 * platform threads, one timer thread, and random generators seeded from {@link SecureRandom}.
 */
public final class RealEnvironment implements Environment, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RealEnvironment.class);

    private final ExecutorService pool;
    private final ScheduledExecutorService timer;
    private final SecureRandom seeds = new SecureRandom();
    private final ThreadLocal<Actor> current = new ThreadLocal<>();

    /** @param threads pool threads running actor tasks (2 is plenty for a router) */
    public RealEnvironment(int threads) {
        this.pool = Executors.newFixedThreadPool(
                threads, Thread.ofPlatform().name("weft-actor-", 0).daemon(true).factory());
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(
                1, Thread.ofPlatform().name("weft-timer").daemon(true).factory());
        t.setRemoveOnCancelPolicy(true);
        this.timer = t;
    }

    @Override
    public Scheduler newActor(String name) {
        return new Actor(name);
    }

    @Override
    public synchronized RandomGenerator newRandom() {
        return new SplittableRandom(seeds.nextLong());
    }

    @Override
    public InstantSource clock() {
        return InstantSource.system();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        pool.shutdown();
        try {
            if (!pool.awaitTermination(2, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A serial queue of tasks on the shared pool. */
    private final class Actor implements Scheduler {
        private final String name;
        private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean scheduled = new AtomicBoolean();

        Actor(String name) {
            this.name = name;
        }

        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public void execute(Runnable task) {
            queue.add(task);
            if (scheduled.compareAndSet(false, true)) {
                try {
                    pool.execute(this::drain);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    scheduled.set(false); // shutting down
                }
            }
        }

        private void drain() {
            current.set(this);
            try {
                int budget = 256; // then yield the thread to other actors
                Runnable r;
                while (budget-- > 0 && (r = queue.poll()) != null) {
                    try {
                        r.run();
                    } catch (RuntimeException | Error e) {
                        log.error("task of actor {} failed", name, e);
                    }
                }
            } finally {
                current.remove();
                scheduled.set(false);
                if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
                    try {
                        pool.execute(this::drain);
                    } catch (java.util.concurrent.RejectedExecutionException e) {
                        scheduled.set(false);
                    }
                }
            }
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            AtomicBoolean cancelled = new AtomicBoolean();
            ScheduledFuture<?> f;
            try {
                f = timer.schedule(
                        () -> execute(() -> {
                            if (!cancelled.get()) {
                                task.run();
                            }
                        }),
                        Math.max(0, delay.toNanos()),
                        TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                return () -> {};
            }
            return () -> {
                cancelled.set(true);
                f.cancel(false);
            };
        }

        @Override
        public Cancellable scheduleBackground(Duration delay, Runnable task) {
            return schedule(delay, task);
        }

        @Override
        public boolean inScheduler() {
            return current.get() == this;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
