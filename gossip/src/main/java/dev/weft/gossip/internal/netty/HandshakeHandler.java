package dev.weft.gossip.internal.netty;

import dev.weft.gossip.internal.crypto.SessionSecrets;
import dev.weft.gossip.internal.wire.ProtocolException;
import dev.weft.gossip.internal.wire.WireCodec;
import dev.weft.gossip.spi.Hello;
import dev.weft.gossip.spi.SessionKey;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.Optional;

/**
 * The first step of a connection: sends our header (magic, versions, encryption flag, connection
 * ID, public key), reads the remote's, agrees a version, refuses a password mismatch, derives the
 * session keys, installs the framing, sealing and message handlers, sends our hello and removes
 * itself. Not sharable.
 */
final class HandshakeHandler extends ByteToMessageDecoder {

    private final TransportContext t;
    private final boolean outbound;
    private long connectionId;
    private byte[] privateKey;
    private byte[] publicKey;

    HandshakeHandler(TransportContext t, boolean outbound) {
        this.t = t;
        this.outbound = outbound;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        NettyTransportConfig c = t.config();
        connectionId = t.random().nextLong();
        if (c.encrypted()) {
            byte[][] pair = SessionSecrets.newKeyPair(t.random());
            privateKey = pair[0];
            publicKey = pair[1];
        }
        HandshakeHeader ours =
                new HandshakeHeader(c.minVersion(), c.maxVersion(), c.encrypted(), connectionId, publicKey);
        ByteBuf b = ctx.alloc().buffer(ours.size());
        ours.write(b);
        ctx.writeAndFlush(b);
        super.channelActive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        HandshakeHeader theirs = HandshakeHeader.read(in);
        if (theirs == null) {
            return;
        }
        NettyTransportConfig c = t.config();
        HandshakeHeader.agree(c.minVersion(), c.maxVersion(), theirs);
        if (theirs.encrypted() != c.encrypted()) {
            throw new ProtocolException(
                    c.encrypted()
                            ? "password mismatch: the remote has no password but we do; give every peer the same password"
                            : "password mismatch: the remote requires a password but we have none; give every peer the same"
                                    + " password");
        }
        ChannelPipeline p = ctx.pipeline();
        Optional<SessionKey> key = Optional.empty();
        String after = ctx.name();
        p.addAfter(after, "frame-decoder", new FrameDecoder(WireCodec.MAX_BODY + 16));
        p.addAfter("frame-decoder", "frame-encoder", FrameEncoder.INSTANCE);
        after = "frame-encoder";
        if (c.encrypted()) {
            SessionSecrets s;
            try {
                s = SessionSecrets.derive(
                        privateKey,
                        theirs.publicKey(),
                        c.password(),
                        outbound ? publicKey : theirs.publicKey(),
                        outbound ? theirs.publicKey() : publicKey,
                        outbound ? connectionId : theirs.connectionId(),
                        outbound ? theirs.connectionId() : connectionId);
            } catch (IllegalArgumentException e) {
                throw new ProtocolException("key exchange failed: " + e.getMessage());
            }
            java.util.Arrays.fill(privateKey, (byte) 0);
            p.addAfter(
                    after,
                    "seal",
                    new SealHandler(
                            outbound ? s.dialerToAcceptor : s.acceptorToDialer,
                            outbound ? s.acceptorToDialer : s.dialerToAcceptor,
                            outbound));
            after = "seal";
            key = Optional.of(s.overlayKey);
        }
        p.addAfter(after, "messages", MessageCodecHandler.INSTANCE);
        Hello hello = t.identity().get().withConnectionId(connectionId);
        ConnectionHandler conn = p.get(ConnectionHandler.class);
        conn.handshakeDone(hello, connectionId ^ theirs.connectionId(), key);
        ctx.channel().writeAndFlush(hello);
        p.remove(this); // bytes already received after the header go on to the frame decoder
    }
}
