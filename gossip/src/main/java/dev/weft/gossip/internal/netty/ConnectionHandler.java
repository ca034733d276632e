package dev.weft.gossip.internal.netty;

import dev.weft.gossip.internal.wire.Heartbeat;
import dev.weft.gossip.internal.wire.ProtocolException;
import dev.weft.gossip.spi.Hello;
import dev.weft.gossip.spi.MeshMessage;
import dev.weft.gossip.spi.SessionKey;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of every connection, from accept/connect to close: enforces the handshake
 * deadline, expects the remote's hello first, then hands messages to the {@link NettyConnection},
 * sends heartbeats after write silence, closes the connection when the read deadline passes or the
 * remote breaks the protocol, and reports how it ended, with the reason, exactly once. Not
 * sharable.
 */
final class ConnectionHandler extends ChannelDuplexHandler {

    private static final Logger log = LoggerFactory.getLogger(ConnectionHandler.class);

    /** Why the channel is being closed (set by whoever closes it first). */
    static final AttributeKey<String> REASON = AttributeKey.valueOf("weft.closeReason");

    private final TransportContext t;
    private final boolean outbound;
    private final Object attempt;
    private ScheduledFuture<?> handshakeTimeout;
    private Hello local;
    private long connectionUid;
    private Optional<SessionKey> sessionKey = Optional.empty();
    private NettyConnection connection;
    private boolean reported;

    ConnectionHandler(TransportContext t, boolean outbound, Object attempt) {
        this.t = t;
        this.outbound = outbound;
        this.attempt = attempt;
    }

    /** Closes {@code ch}, recording {@code reason} unless another reason was recorded first. */
    static void closeWithReason(Channel ch, String reason) {
        ch.attr(REASON).setIfAbsent(reason);
        ch.close();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        long ms = t.config().handshakeTimeout().toMillis();
        handshakeTimeout = ctx.executor()
                .schedule(
                        () -> closeWithReason(ctx.channel(), "handshake did not complete within " + ms + " ms"),
                        ms,
                        TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    /** Called by the handshake handler once keys are set up. */
    void handshakeDone(Hello ourHello, long uid, Optional<SessionKey> key) {
        this.local = ourHello;
        this.connectionUid = uid;
        this.sessionKey = key;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (connection == null) {
            if (!(msg instanceof Hello remote)) {
                throw new ProtocolException("expected hello as the first message, got " + describe(msg));
            }
            if (local == null) {
                throw new ProtocolException("hello before the handshake completed");
            }
            handshakeTimeout.cancel(false);
            connection =
                    new NettyConnection(ctx.channel(), local, remote, connectionUid, outbound, attempt, sessionKey);
            t.events().connected(connection);
            return;
        }
        switch (msg) {
            case Heartbeat h -> {}
            case MeshMessage m -> connection.deliver(m);
            case Hello h -> throw new ProtocolException("hello sent twice");
            default -> throw new ProtocolException("unexpected message " + describe(msg));
        }
    }

    private static String describe(Object msg) {
        return msg == null ? "nothing" : msg.getClass().getSimpleName();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.READER_IDLE) {
                closeWithReason(
                        ctx.channel(),
                        "nothing received for " + t.config().readDeadline().toSeconds()
                                + " s: heartbeat deadline passed");
            } else if (idle.state() == IdleState.WRITER_IDLE && connection != null) {
                ctx.writeAndFlush(Heartbeat.INSTANCE);
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (connection != null && ctx.channel().isWritable()) {
            connection.writable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        String reason = c instanceof ProtocolException ? c.getMessage() : c.toString();
        if (!(c instanceof ProtocolException)) {
            log.debug("connection {} failed", ctx.channel().remoteAddress(), c);
        }
        closeWithReason(ctx.channel(), reason);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (handshakeTimeout != null) {
            handshakeTimeout.cancel(false);
        }
        String reason = ctx.channel().attr(REASON).get();
        if (reason == null) {
            reason = connection == null ? "connection closed during the handshake" : "connection closed by the remote";
        }
        report(ctx, reason);
        ctx.fireChannelInactive();
    }

    private void report(ChannelHandlerContext ctx, String reason) {
        if (reported) {
            return;
        }
        reported = true;
        InetSocketAddress remote = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a : null;
        if (connection != null) {
            log.info("connection {} closed: {}", connection, reason);
            connection.closed(reason);
        } else if (outbound) {
            log.info("connection to {} failed: {}", remote, reason);
            t.events().dialFailed(remote, attempt, reason, false);
        } else {
            log.info("connection from {} failed: {}", remote, reason);
            t.events().inboundFailed(remote, reason);
        }
    }
}
