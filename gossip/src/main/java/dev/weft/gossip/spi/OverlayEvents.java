package dev.weft.gossip.spi;

/**
 * How an {@link OverlayConnection} reports its state to the mesh (or to the overlay switch that runs
 * it). Any thread, never blocks, idempotent (only the first {@code established} and the first
 * {@code failed} count).
 */
public interface OverlayEvents {

    /** The data path works: the mesh marks the connection established and gossips it. */
    void established();

    /** The overlay connection failed for good: the mesh closes the whole connection with {@code reason}. */
    void failed(String reason);

    /**
     * The data path stopped carrying frames for now (a fast path whose heartbeats stopped) while
     * the connection stays up: frames should go by another overlay until {@link #resumed()}. Only
     * after {@link #established()}; a later call updates the reason. Default: nothing (the mesh does
     * not care which overlay carries frames; the router's overlay switch does).
     */
    default void suspended(String reason) {}

    /** The data path carries frames again after {@link #suspended}. Default: nothing. */
    default void resumed() {}
}
