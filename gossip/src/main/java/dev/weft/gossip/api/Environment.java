package dev.weft.gossip.api;

import java.time.InstantSource;
import java.util.random.RandomGenerator;

/**
 * Where time, actors and randomness come from. Components built on the mesh (IPAM, overlays) take
 * their actors and randomness from here rather than creating threads or random generators, so the
 * simulator can run them deterministically in virtual time and replay them from a seed.
 *
 * <p>Production: real clock, actors on a shared thread pool, {@code SecureRandom}-seeded
 * generators. Simulator: virtual clock, all actors on one thread, generators derived from the
 * simulation seed in creation order. All methods may be called from any thread.
 */
public interface Environment {

    /** A new actor sharing this environment's clock; {@code name} appears in logs and threads. */
    Scheduler newActor(String name);

    /**
     * A new, independent random generator for one component. Not thread-safe: use it from one
     * actor only.
     */
    RandomGenerator newRandom();

    /** The clock every actor of this environment reads. */
    InstantSource clock();
}
