package dev.weft.gossip.internal.netty;

import dev.weft.gossip.internal.wire.WireCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageCodec;
import java.util.List;

/** Frame bodies to messages and back ({@link WireCodec}). Stateless, sharable. */
@ChannelHandler.Sharable
final class MessageCodecHandler extends MessageToMessageCodec<ByteBuf, Object> {

    static final MessageCodecHandler INSTANCE = new MessageCodecHandler();

    private MessageCodecHandler() {}

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return !(msg instanceof ByteBuf);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) {
        ByteBuf body = ctx.alloc().heapBuffer(initialSize(msg));
        try {
            WireCodec.encode(msg, body);
        } catch (RuntimeException e) {
            body.release();
            throw e;
        }
        out.add(body);
    }

    private static int initialSize(Object msg) {
        if (msg instanceof dev.weft.gossip.spi.MeshMessage.Gossip g) {
            return g.payload().length + 80;
        }
        if (msg instanceof dev.weft.gossip.spi.MeshMessage.Broadcast b) {
            return b.payload().length + 80;
        }
        if (msg instanceof dev.weft.gossip.spi.MeshMessage.Unicast u) {
            return u.payload().length + 90;
        }
        return 256;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf body, List<Object> out) {
        out.add(WireCodec.decode(body));
    }
}
