package dev.weft.gossip.internal.netty;

import dev.weft.gossip.internal.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the stream into frames: a 4-byte big-endian length, then that many bytes. Rejects a zero
 * or oversized length as soon as the length arrives, before buffering the body. Emits retained
 * slices of the frame bodies. Not sharable (one per connection).
 */
final class FrameDecoder extends ByteToMessageDecoder {

    private final int maxFrame;

    /** @param maxFrame largest body accepted (bytes) */
    FrameDecoder(int maxFrame) {
        this.maxFrame = maxFrame;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= 4) {
            long length = in.getUnsignedInt(in.readerIndex());
            if (length == 0) {
                throw new ProtocolException("empty frame");
            }
            if (length > maxFrame) {
                throw new ProtocolException("frame of " + length + " bytes exceeds the limit of " + maxFrame);
            }
            if (in.readableBytes() < 4 + length) {
                return;
            }
            in.skipBytes(4);
            out.add(in.readRetainedSlice((int) length));
        }
    }
}
