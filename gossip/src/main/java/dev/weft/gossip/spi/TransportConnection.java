package dev.weft.gossip.spi;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * One control-plane connection that has completed its handshake.
 *
 * <p>Threads: every method may be called from any thread and never blocks. Messages are delivered
 * in order to the {@link Receiver} given to {@link #start}, on a transport thread.
 */
public interface TransportConnection {

    /** The remote peer's identity from the handshake. */
    Hello remote();

    /** This side's identity as sent in the handshake. */
    Hello local();

    /** XOR of both sides' connection IDs: the same number at both ends. */
    long connectionUid();

    /** True if this side dialled. */
    boolean outbound();

    /** The dial token for outbound connections, null for inbound ones. */
    Object attempt();

    /** This side's address of the connection. */
    InetSocketAddress localAddress();

    /** The remote side's address of the connection. */
    InetSocketAddress remoteAddress();

    /** The session key when the connection is encrypted. */
    Optional<SessionKey> sessionKey();

    /** Begins delivering messages and close events to {@code receiver}. Call once. */
    void start(Receiver receiver);

    /**
     * Queues {@code message} for sending. Ownership of payload arrays passes to the transport (they
     * are immutable anyway). Messages larger than their type's limit are rejected with an
     * IllegalArgumentException. After close, silently dropped.
     */
    void send(MeshMessage message);

    /**
     * True while the connection's outgoing buffer is below its high-water mark; the mesh's merging
     * senders only hand over more gossip while writable and wait for {@link Receiver#writable()}.
     */
    boolean isWritable();

    /** Closes the connection with a reason (logged by both ends where possible). Idempotent. */
    void close(String reason);

    /** Where a connection delivers what it receives. Called on a transport thread. */
    interface Receiver {

        /** One message, in order. */
        void message(MeshMessage message);

        /** The outgoing buffer dropped below its low-water mark. */
        void writable();

        /** The connection is closed (by either side, an error, or a heartbeat timeout). Once. */
        void closed(String reason);
    }
}
