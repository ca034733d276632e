package dev.weft.gossip.api;

/** A handle on something that can be stopped: a timer, a listener registration. */
@FunctionalInterface
public interface Cancellable extends AutoCloseable {

    /** Stops it. Idempotent, any thread, never blocks, never throws. */
    void cancel();

    /** Same as {@link #cancel()}. */
    @Override
    default void close() {
        cancel();
    }
}
