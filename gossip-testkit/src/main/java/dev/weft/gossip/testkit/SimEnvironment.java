package dev.weft.gossip.testkit;

import dev.weft.gossip.api.Cancellable;
import dev.weft.gossip.api.Environment;
import dev.weft.gossip.api.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated host's environment: its actors run on the shared {@link SimLoop} in virtual time,
 * its random generators derive from the simulation seed in creation order. Killing it (a crash)
 * drops every pending task of its actors.
 */
public final class SimEnvironment implements Environment {

    private static final Logger log = LoggerFactory.getLogger(SimEnvironment.class);

    private final SimLoop loop;
    private final SplittableRandom random;
    private final String host;
    private final boolean failFast;
    private boolean alive = true;

    SimEnvironment(SimLoop loop, SplittableRandom random, String host, boolean failFast) {
        this.loop = loop;
        this.random = random;
        this.host = host;
        this.failFast = failFast;
    }

    boolean alive() {
        return alive;
    }

    void kill() {
        alive = false;
    }

    @Override
    public Scheduler newActor(String name) {
        return new Actor(host + "/" + name);
    }

    @Override
    public RandomGenerator newRandom() {
        return random.split();
    }

    @Override
    public InstantSource clock() {
        return loop::now;
    }

    /** A simulated actor: tasks go on the shared loop in virtual time. */
    private final class Actor implements Scheduler {
        private final String name;

        Actor(String name) {
            this.name = name;
        }

        private Runnable guarded(Runnable task) {
            return () -> {
                try {
                    task.run();
                } catch (RuntimeException | AssertionError e) {
                    if (failFast) {
                        throw new IllegalStateException(
                                "task of actor " + name + " failed at virtual time "
                                        + Duration.between(SimLoop.EPOCH, loop.now()),
                                e);
                    }
                    log.error("task of actor {} failed", name, e);
                }
            };
        }

        @Override
        public Instant now() {
            return loop.now();
        }

        @Override
        public void execute(Runnable task) {
            loop.schedule(0, guarded(task), false, SimEnvironment.this);
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            return loop.schedule(delay.toNanos(), guarded(task), false, SimEnvironment.this);
        }

        @Override
        public Cancellable scheduleBackground(Duration delay, Runnable task) {
            return loop.schedule(delay.toNanos(), guarded(task), true, SimEnvironment.this);
        }

        @Override
        public boolean inScheduler() {
            return loop.isOwnerThread();
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
