package dev.weft.gossip.api;

import java.time.Duration;
import java.util.Objects;

/**
 * Protocol settings of one mesh peer. Defaults follow weaveworks/mesh unless noted; use {@link
 * #defaults} and the {@code with...} methods. Immutable.
 *
 * @param name this peer's name
 * @param nickname human-readable name, usually the host name
 * @param connectionLimit at most this many connections (0 = unlimited); default 200
 * @param discovery dial peers learnt from the topology and from membership; default true
 * @param gossipInterval period of full-state anti-entropy gossip of every channel; default 30 s
 * @param topologyBatch local topology changes are gossiped at most this often; default 1 s
 * @param gcDelay dead-peer garbage collection runs this long after topology updates; default 1 s
 * @param routeRecalcDelay route recalculations are coalesced over this; default 100 ms
 * @param initialBackoff first retry delay of a failed target; default 2 s
 * @param backoffFactor retry delay multiplier per failure; default 1.5
 * @param maxBackoff retry delay cap; default 6 min
 * @param backoffReset a connection that lived this long resets its target's backoff; default 1 min
 * @param defaultPort port used for targets given without one; default 6783
 */
public record MeshConfig(
        PeerName name,
        String nickname,
        int connectionLimit,
        boolean discovery,
        Duration gossipInterval,
        Duration topologyBatch,
        Duration gcDelay,
        Duration routeRecalcDelay,
        Duration initialBackoff,
        double backoffFactor,
        Duration maxBackoff,
        Duration backoffReset,
        int defaultPort) {

    /** The control-plane TCP port. */
    public static final int DEFAULT_PORT = 6783;

    /** Validates every field. */
    public MeshConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(nickname, "nickname");
        if (name.isUnknown()) {
            throw new IllegalArgumentException("peer name 00:00:00:00:00:00 is reserved");
        }
        if (connectionLimit < 0) {
            throw new IllegalArgumentException("connection limit must be >= 0 (0 = unlimited): " + connectionLimit);
        }
        positive(gossipInterval, "gossip interval");
        positive(topologyBatch, "topology batch");
        positive(gcDelay, "GC delay");
        positive(routeRecalcDelay, "route recalculation delay");
        positive(initialBackoff, "initial backoff");
        positive(maxBackoff, "max backoff");
        positive(backoffReset, "backoff reset");
        if (!(backoffFactor >= 1.0)) {
            throw new IllegalArgumentException("backoff factor must be >= 1: " + backoffFactor);
        }
        if (defaultPort < 1 || defaultPort > 65535) {
            throw new IllegalArgumentException("port out of range: " + defaultPort);
        }
        if (nickname.length() > 255) {
            throw new IllegalArgumentException("nickname longer than 255 characters");
        }
    }

    private static void positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
    }

    /** The defaults for a peer with this name and nickname. */
    public static MeshConfig defaults(PeerName name, String nickname) {
        return new MeshConfig(
                name,
                nickname,
                200,
                true,
                Duration.ofSeconds(30),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                Duration.ofMillis(100),
                Duration.ofSeconds(2),
                1.5,
                Duration.ofMinutes(6),
                Duration.ofMinutes(1),
                DEFAULT_PORT);
    }

    /** With another connection limit (0 = unlimited). */
    public MeshConfig withConnectionLimit(int limit) {
        return new MeshConfig(
                name,
                nickname,
                limit,
                discovery,
                gossipInterval,
                topologyBatch,
                gcDelay,
                routeRecalcDelay,
                initialBackoff,
                backoffFactor,
                maxBackoff,
                backoffReset,
                defaultPort);
    }

    /** With discovery on or off. */
    public MeshConfig withDiscovery(boolean on) {
        return new MeshConfig(
                name,
                nickname,
                connectionLimit,
                on,
                gossipInterval,
                topologyBatch,
                gcDelay,
                routeRecalcDelay,
                initialBackoff,
                backoffFactor,
                maxBackoff,
                backoffReset,
                defaultPort);
    }

    /** With another anti-entropy gossip period. */
    public MeshConfig withGossipInterval(Duration d) {
        return new MeshConfig(
                name,
                nickname,
                connectionLimit,
                discovery,
                d,
                topologyBatch,
                gcDelay,
                routeRecalcDelay,
                initialBackoff,
                backoffFactor,
                maxBackoff,
                backoffReset,
                defaultPort);
    }

    /** With another port for port-less targets. */
    public MeshConfig withDefaultPort(int port) {
        return new MeshConfig(
                name,
                nickname,
                connectionLimit,
                discovery,
                gossipInterval,
                topologyBatch,
                gcDelay,
                routeRecalcDelay,
                initialBackoff,
                backoffFactor,
                maxBackoff,
                backoffReset,
                port);
    }

    /** With other reconnection backoff settings. */
    public MeshConfig withBackoff(Duration initial, double factor, Duration max, Duration reset) {
        return new MeshConfig(
                name,
                nickname,
                connectionLimit,
                discovery,
                gossipInterval,
                topologyBatch,
                gcDelay,
                routeRecalcDelay,
                initial,
                factor,
                max,
                reset,
                defaultPort);
    }
}
