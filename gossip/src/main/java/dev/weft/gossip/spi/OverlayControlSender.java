package dev.weft.gossip.spi;

/** Sends overlay control messages to the remote end of one connection (Weave's tag 7). */
@FunctionalInterface
public interface OverlayControlSender {

    /** Largest message (bytes). */
    int MAX_BYTES = 64 * 1024;

    /**
     * Queues {@code message} on the TCP connection (encrypted if the connection is), in order.
     * Any thread, never blocks; ownership of the array passes to the mesh. Silently dropped once the
     * connection is closed.
     *
     * @throws IllegalArgumentException if longer than {@link #MAX_BYTES}
     */
    void send(byte[] message);
}
