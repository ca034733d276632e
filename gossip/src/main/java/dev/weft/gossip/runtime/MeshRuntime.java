package dev.weft.gossip.runtime;

import dev.weft.gossip.api.Mesh;
import dev.weft.gossip.api.MeshBuilder;
import dev.weft.gossip.api.MeshConfig;
import dev.weft.gossip.internal.netty.NettyTransport;
import dev.weft.gossip.internal.netty.NettyTransportConfig;
import dev.weft.gossip.spi.Membership;
import dev.weft.gossip.spi.Overlay;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Production wiring of a mesh peer: the real environment, the Netty TCP transport, the given
 * overlay and membership. What {@code weft launch} uses.
 */
public final class MeshRuntime {

    private MeshRuntime() {}

    /**
     * Transport settings.
     *
     * @param listen address to listen on for mesh connections (default {@code 0.0.0.0:6783})
     * @param password mesh password (UTF-8 bytes), or null for an unencrypted mesh
     * @param heartbeatInterval heartbeat after this much write silence (default 30 s)
     * @param readDeadline close a connection silent for this long (default 60 s)
     */
    public record Options(
            InetSocketAddress listen, byte[] password, Duration heartbeatInterval, Duration readDeadline) {

        public Options {
            Objects.requireNonNull(listen, "listen");
        }

        /** Defaults with this listen address and password. */
        public static Options of(InetSocketAddress listen, byte[] password) {
            return new Options(listen, password, Duration.ofSeconds(30), Duration.ofSeconds(60));
        }
    }

    /**
     * Builds and starts a mesh peer and dials {@code peers}.
     *
     * @return the running mesh; close it to stop
     * @throws IllegalStateException if the listen address cannot be bound
     * @throws IllegalArgumentException if a peer address is invalid
     */
    public static Mesh start(
            MeshConfig config,
            Options options,
            Overlay overlay,
            Membership membership,
            RealEnvironment env,
            List<String> peers) {
        NettyTransportConfig tc = NettyTransportConfig.defaults(options.listen(), options.password())
                .withHeartbeat(options.heartbeatInterval(), options.readDeadline());
        NettyTransport transport = new NettyTransport(tc, new SecureRandom());
        Mesh mesh = new MeshBuilder(config, env, transport)
                .overlay(overlay)
                .membership(membership)
                .build();
        mesh.start();
        // start() runs on the actor; wait until the transport is bound so errors surface here.
        mesh.status();
        // Only now: a direct target dialled before the transport started was dropped, and stayed
        // "connecting" for ever (RouterTest's third router, now and then, in CI).
        List<String> bad = mesh.connect(peers, false);
        if (!bad.isEmpty()) {
            mesh.close();
            throw new IllegalArgumentException("invalid peer addresses: " + String.join("; ", bad));
        }
        return mesh;
    }
}
