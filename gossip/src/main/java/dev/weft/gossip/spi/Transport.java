package dev.weft.gossip.spi;

import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * Moves control-plane messages between peers: accepts and dials connections, performs the
 * handshake (version, encryption, identity), heartbeats and deadlines, and hands the mesh
 * connections that have completed it. Implementations: Netty TCP (production) and the simulator's
 * in-memory network (weft-gossip-testkit). The mesh protocol logic (registration, duplicate
 * tie-break, topology, gossip) sits above this and is the same for both.
 */
public interface Transport extends AutoCloseable {

    /**
     * Starts accepting connections. Called once, before any {@link #dial}.
     *
     * @param identity called for every new connection to get this peer's current identity
     *     (features, short ID); the transport sets a fresh random {@link Hello#connectionId()}
     * @param events receives connections and failures; called on transport threads, must not
     *     block
     */
    void start(Supplier<Hello> identity, TransportEvents events);

    /**
     * Dials {@code address} asynchronously. Exactly one of {@link
     * TransportEvents#connected(TransportConnection)} or {@link TransportEvents#dialFailed} follows
     * for this attempt, on a transport thread. Any thread; never blocks.
     *
     * @param address where to dial (resolved)
     * @param attempt an opaque token handed back in the result so the caller can match it
     */
    void dial(InetSocketAddress address, Object attempt);

    /** The address actually listened on (after binding port 0, the chosen port). */
    InetSocketAddress listenAddress();

    /** Whether connections are encrypted (a password is configured). */
    boolean encrypted();

    /** Stops accepting and closes every connection. Idempotent, may block briefly. */
    @Override
    void close();
}
