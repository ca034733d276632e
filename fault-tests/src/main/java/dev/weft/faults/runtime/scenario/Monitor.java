package dev.weft.faults.runtime.scenario;

import dev.weft.faults.runtime.router.Router;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads every router's topology every few seconds while the plan runs, so the history (and the
 * report's timeline) shows the mesh splitting and joining, not only its final state.
 *
 * <p>One daemon thread; {@link #start} and {@link #stop} from the runner's thread.
 */
final class Monitor {

    private final Map<String, Router> routers;
    private final Observer observer;
    private final Predicate<String> removed;
    private final Duration every;
    private volatile boolean running = true;
    private Thread thread;

    Monitor(Map<String, Router> routers, Observer observer, Predicate<String> removed, Duration every) {
        this.routers = routers;
        this.observer = observer;
        this.removed = removed;
        this.every = every;
    }

    void start() {
        thread = Thread.ofPlatform().name("monitor").daemon().start(this::loop);
    }

    private void loop() {
        while (running) {
            for (Router r : routers.values()) {
                if (running && !removed.test(r.node().name())) {
                    observer.topology(r);
                }
            }
            try {
                Thread.sleep(every);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
