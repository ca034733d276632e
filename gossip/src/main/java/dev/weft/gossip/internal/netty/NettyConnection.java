package dev.weft.gossip.internal.netty;

import dev.weft.gossip.internal.wire.MessageLimits;
import dev.weft.gossip.spi.Hello;
import dev.weft.gossip.spi.MeshMessage;
import dev.weft.gossip.spi.SessionKey;
import dev.weft.gossip.spi.TransportConnection;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * A control-plane connection over a Netty channel, after its handshake. Messages and events reach
 * the receiver on the channel's event loop; until {@link #start} they are buffered there.
 */
final class NettyConnection implements TransportConnection {

    private final Channel channel;
    private final Hello local;
    private final Hello remote;
    private final long connectionUid;
    private final boolean outbound;
    private final Object attempt;
    private final Optional<SessionKey> sessionKey;

    // Event-loop confined:
    private Receiver receiver;
    private final ArrayDeque<MeshMessage> pending = new ArrayDeque<>();
    private String closedReason;

    NettyConnection(
            Channel channel,
            Hello local,
            Hello remote,
            long connectionUid,
            boolean outbound,
            Object attempt,
            Optional<SessionKey> sessionKey) {
        this.channel = channel;
        this.local = local;
        this.remote = remote;
        this.connectionUid = connectionUid;
        this.outbound = outbound;
        this.attempt = attempt;
        this.sessionKey = sessionKey;
    }

    @Override
    public Hello remote() {
        return remote;
    }

    @Override
    public Hello local() {
        return local;
    }

    @Override
    public long connectionUid() {
        return connectionUid;
    }

    @Override
    public boolean outbound() {
        return outbound;
    }

    @Override
    public Object attempt() {
        return attempt;
    }

    @Override
    public InetSocketAddress localAddress() {
        return channel.localAddress() instanceof InetSocketAddress a ? a : null;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return channel.remoteAddress() instanceof InetSocketAddress a ? a : null;
    }

    @Override
    public Optional<SessionKey> sessionKey() {
        return sessionKey;
    }

    @Override
    public void start(Receiver r) {
        channel.eventLoop().execute(() -> {
            if (receiver != null) {
                return;
            }
            receiver = r;
            while (!pending.isEmpty()) {
                r.message(pending.poll());
            }
            if (closedReason != null) {
                r.closed(closedReason);
            } else if (channel.isWritable()) {
                r.writable();
            }
        });
    }

    /** Event loop: a message arrived. */
    void deliver(MeshMessage m) {
        if (receiver == null) {
            pending.add(m);
        } else {
            receiver.message(m);
        }
    }

    /** Event loop: the channel became writable. */
    void writable() {
        if (receiver != null) {
            receiver.writable();
        }
    }

    /** Event loop: the channel closed. */
    void closed(String reason) {
        if (closedReason != null) {
            return;
        }
        closedReason = reason;
        if (receiver != null) {
            receiver.closed(reason);
        }
    }

    @Override
    public void send(MeshMessage message) {
        MessageLimits.check(message);
        if (!channel.isActive()) {
            return;
        }
        channel.writeAndFlush(message).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public void close(String reason) {
        ConnectionHandler.closeWithReason(channel, reason);
    }

    @Override
    public String toString() {
        return (outbound ? "->" : "<-") + channel.remoteAddress() + "|" + remote.name() + "(" + remote.nickname() + ")";
    }
}
