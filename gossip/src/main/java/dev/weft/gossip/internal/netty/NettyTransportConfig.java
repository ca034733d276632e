package dev.weft.gossip.internal.netty;

import dev.weft.gossip.internal.wire.Protocol;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the TCP transport. Defaults follow weaveworks/mesh.
 *
 * @param listen where to listen (port 0: any free port)
 * @param password the mesh password (bytes of the UTF-8 text), or null for no encryption
 * @param connectTimeout TCP connect timeout; default 10 s
 * @param handshakeTimeout header and hello must complete within this; default 10 s (mesh)
 * @param heartbeatInterval a heartbeat is sent after this much write silence; default 30 s (mesh)
 * @param readDeadline a connection silent this long is closed; default 60 s (2 x heartbeat)
 * @param acceptBurst accept token bucket capacity; default 20 (mesh)
 * @param acceptTokenInterval one accept token per this; default 50 ms (mesh: 20 accepts/s)
 * @param ioThreads event-loop threads; default 1 (a router has at most a few hundred connections)
 * @param preferNative use native epoll when available; default true
 * @param minVersion lowest protocol version spoken (tests lower or raise it)
 * @param maxVersion highest protocol version spoken
 */
public record NettyTransportConfig(
        InetSocketAddress listen,
        byte[] password,
        Duration connectTimeout,
        Duration handshakeTimeout,
        Duration heartbeatInterval,
        Duration readDeadline,
        int acceptBurst,
        Duration acceptTokenInterval,
        int ioThreads,
        boolean preferNative,
        int minVersion,
        int maxVersion) {

    /** Validates. */
    public NettyTransportConfig {
        Objects.requireNonNull(listen, "listen");
        if (password != null && password.length == 0) {
            password = null;
        }
        if (ioThreads < 1 || acceptBurst < 1 || minVersion < 1 || maxVersion < minVersion || maxVersion > 255) {
            throw new IllegalArgumentException("invalid transport settings");
        }
        if (!heartbeatInterval.isPositive() || readDeadline.compareTo(heartbeatInterval) <= 0) {
            throw new IllegalArgumentException("the read deadline must exceed the heartbeat interval");
        }
    }

    /** Defaults, listening on {@code listen}, with {@code password} (null: no encryption). */
    public static NettyTransportConfig defaults(InetSocketAddress listen, byte[] password) {
        return new NettyTransportConfig(
                listen,
                password,
                Duration.ofSeconds(10),
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ofSeconds(60),
                20,
                Duration.ofMillis(50),
                1,
                true,
                Protocol.MIN_VERSION,
                Protocol.MAX_VERSION);
    }

    public NettyTransportConfig withVersions(int min, int max) {
        return new NettyTransportConfig(
                listen,
                password,
                connectTimeout,
                handshakeTimeout,
                heartbeatInterval,
                readDeadline,
                acceptBurst,
                acceptTokenInterval,
                ioThreads,
                preferNative,
                min,
                max);
    }

    public NettyTransportConfig withHeartbeat(Duration interval, Duration deadline) {
        return new NettyTransportConfig(
                listen,
                password,
                connectTimeout,
                handshakeTimeout,
                interval,
                deadline,
                acceptBurst,
                acceptTokenInterval,
                ioThreads,
                preferNative,
                minVersion,
                maxVersion);
    }

    public NettyTransportConfig withAcceptThrottle(int burst, Duration tokenInterval) {
        return new NettyTransportConfig(
                listen,
                password,
                connectTimeout,
                handshakeTimeout,
                heartbeatInterval,
                readDeadline,
                burst,
                tokenInterval,
                ioThreads,
                preferNative,
                minVersion,
                maxVersion);
    }

    public NettyTransportConfig withHandshakeTimeout(Duration d) {
        return new NettyTransportConfig(
                listen,
                password,
                connectTimeout,
                d,
                heartbeatInterval,
                readDeadline,
                acceptBurst,
                acceptTokenInterval,
                ioThreads,
                preferNative,
                minVersion,
                maxVersion);
    }

    public boolean encrypted() {
        return password != null;
    }
}
