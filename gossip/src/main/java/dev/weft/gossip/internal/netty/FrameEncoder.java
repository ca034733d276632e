package dev.weft.gossip.internal.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/** Prepends the 4-byte big-endian length to each outgoing frame body. Stateless, sharable. */
@ChannelHandler.Sharable
final class FrameEncoder extends MessageToMessageEncoder<ByteBuf> {

    static final FrameEncoder INSTANCE = new FrameEncoder();

    private FrameEncoder() {}

    @Override
    protected void encode(ChannelHandlerContext ctx, ByteBuf body, List<Object> out) {
        ByteBuf length = ctx.alloc().buffer(4);
        length.writeInt(body.readableBytes());
        out.add(length);
        out.add(body.retain());
    }
}
