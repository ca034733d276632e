package dev.weft.gossip.spi;

import java.net.InetSocketAddress;

/** What a {@link Transport} reports to the mesh. Called on transport threads; must not block. */
public interface TransportEvents {

    /**
     * A connection completed its handshake: inbound (accepted) or outbound (from {@link
     * Transport#dial}, then {@link TransportConnection#attempt()} is the token given there). The
     * connection delivers nothing until {@link TransportConnection#start} is called.
     */
    void connected(TransportConnection connection);

    /**
     * A dial or its handshake failed.
     *
     * @param address the dialled address
     * @param attempt the token given to {@link Transport#dial}
     * @param reason a one-line explanation for logs and status (e.g. "connection refused",
     *     "password mismatch: remote has no password")
     * @param permanent true if retrying cannot help (e.g. connected to ourselves)
     */
    void dialFailed(InetSocketAddress address, Object attempt, String reason, boolean permanent);

    /** An inbound connection failed before completing its handshake (logged, counted). */
    default void inboundFailed(InetSocketAddress remote, String reason) {}
}
