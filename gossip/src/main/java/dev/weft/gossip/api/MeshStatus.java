package dev.weft.gossip.api;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code weft status} shows about the mesh: an immutable snapshot.
 *
 * @param self this peer
 * @param protocol the protocol name and version range, e.g. {@code "weft 1..1"}
 * @param encrypted true when a password is configured (every connection is encrypted)
 * @param discovery true when addresses learnt from the topology are dialled
 * @param connectionLimit the connection limit (0 = unlimited)
 * @param connections this peer's live connections
 * @param targets addresses the connection maker dials or retries
 * @param peers every known peer, this one included
 * @param listenAddress where this peer accepts mesh connections
 */
public record MeshStatus(
        PeerInfo self,
        String protocol,
        boolean encrypted,
        boolean discovery,
        int connectionLimit,
        List<Connection> connections,
        List<Target> targets,
        List<PeerInfo> peers,
        InetSocketAddress listenAddress) {

    /** The state of a connection: pending until its overlay is established. */
    public enum ConnectionState {
        PENDING,
        ESTABLISHED
    }

    /** The state of a dialling target. */
    public enum TargetState {
        /** Waiting for its next attempt (after a failure: "retrying"). */
        WAITING,
        /** A dial or handshake is in progress. */
        CONNECTING,
        /** Connected. */
        CONNECTED,
        /** Will never be retried (name collision, connection to ourself) or suspended. */
        FAILED
    }

    /**
     * One live connection.
     *
     * @param remoteAddress the other end's TCP address
     * @param outbound true if we dialled it
     * @param state pending or established
     * @param peer the remote peer's name
     * @param nickname the remote peer's nickname
     * @param encrypted true if the connection is encrypted
     * @param overlay the overlay carrying its data plane and its attributes, e.g. {@code sleeve
     *     mtu=1376}; empty without an overlay
     * @param since when it was added
     */
    public record Connection(
            InetSocketAddress remoteAddress,
            boolean outbound,
            ConnectionState state,
            PeerName peer,
            String nickname,
            boolean encrypted,
            String overlay,
            Instant since) {}

    /**
     * One address the connection maker knows.
     *
     * @param address host:port as given or discovered
     * @param direct true if given by the operator (flags, {@code weft connect}), false if
     *     discovered from the topology or membership
     * @param state what is happening with it
     * @param lastError why the last attempt failed, or empty
     * @param nextAttempt when it will be tried next, or null if not scheduled
     * @param attempts consecutive failed attempts
     */
    public record Target(
            String address, boolean direct, TargetState state, String lastError, Instant nextAttempt, int attempts) {}

    /** Convenience for JSON/text rendering of overlay attributes. */
    public static String overlayText(String name, Map<String, String> attrs) {
        StringBuilder sb = new StringBuilder(name);
        attrs.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        return sb.toString();
    }
}
