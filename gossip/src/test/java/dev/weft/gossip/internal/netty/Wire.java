package dev.weft.gossip.internal.netty;

import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.api.PeerUid;
import dev.weft.gossip.spi.Hello;
import dev.weft.gossip.spi.TransportConnection;
import dev.weft.gossip.spi.TransportEvents;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Two EmbeddedChannels running the real handshake and pipeline against each other. */
final class Wire {

    /** What a transport reported. */
    static final class Events implements TransportEvents {
        final List<TransportConnection> connected = new ArrayList<>();
        final List<String> failures = new ArrayList<>();

        @Override
        public void connected(TransportConnection connection) {
            connected.add(connection);
        }

        @Override
        public void dialFailed(InetSocketAddress address, Object attempt, String reason, boolean permanent) {
            failures.add(reason);
        }

        @Override
        public void inboundFailed(InetSocketAddress remote, String reason) {
            failures.add(reason);
        }
    }

    static NettyTransportConfig config(String password) {
        return NettyTransportConfig.defaults(
                new InetSocketAddress("127.0.0.1", 0),
                password == null ? null : password.getBytes(StandardCharsets.UTF_8));
    }

    static Hello hello(long name) {
        return new Hello(
                PeerName.of(name), new PeerUid(name * 31 + 7), "n" + name, Optional.empty(), 0, Map.of("port", "6783"));
    }

    static EmbeddedChannel channel(NettyTransportConfig c, long name, boolean outbound, Events events) {
        TransportContext t = new TransportContext(c, () -> hello(name), events, new SecureRandom());
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline()
                .addLast(
                        "idle",
                        new io.netty.handler.timeout.IdleStateHandler(
                                c.readDeadline().toMillis(),
                                c.heartbeatInterval().toMillis(),
                                0,
                                java.util.concurrent.TimeUnit.MILLISECONDS))
                .addLast("handshake", new HandshakeHandler(t, outbound))
                .addLast("connection", new ConnectionHandler(t, outbound, outbound ? "attempt" : null));
        ch.pipeline().fireChannelActive();
        return ch;
    }

    /** Moves every pending outbound buffer of {@code from} into {@code to}; returns the bytes moved. */
    static List<byte[]> pump(EmbeddedChannel from, EmbeddedChannel to) {
        List<byte[]> moved = new ArrayList<>();
        for (Object o = from.readOutbound(); o != null; o = from.readOutbound()) {
            ByteBuf b = (ByteBuf) o;
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            b.release();
            moved.add(bytes);
            if (to.isOpen()) {
                to.writeInbound(io.netty.buffer.Unpooled.wrappedBuffer(bytes));
            }
        }
        return moved;
    }

    /** Pumps both ways until nothing moves. */
    static void settle(EmbeddedChannel a, EmbeddedChannel b) {
        for (int i = 0; i < 100; i++) {
            a.runPendingTasks();
            b.runPendingTasks();
            if (pump(a, b).isEmpty() & pump(b, a).isEmpty()) {
                return;
            }
        }
    }

    private Wire() {}
}
