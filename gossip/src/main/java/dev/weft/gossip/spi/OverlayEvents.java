package dev.weft.gossip.spi;

/**
 * How an {@link OverlayConnection} reports its state to the mesh. Any thread, never blocks,
 * idempotent (only the first {@code established} and the first {@code failed} count).
 */
public interface OverlayEvents {

    /** The data path works: the mesh marks the connection established and gossips it. */
    void established();

    /** The overlay connection failed for good: the mesh closes the whole connection with {@code reason}. */
    void failed(String reason);
}
