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

    /**
     * Decodes at most one frame per call: the base class hands each frame on before it decodes the
     * next, so a frame that closes the connection stops the decoding of what follows it (decoding
     * ahead would report a later frame's error after the connection was gone).
     */
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < 4) {
            return;
        }
        if (!ctx.channel().isActive()) {
            // Closed by an earlier frame, or the remote went away mid-frame: the rest is not looked at.
            in.skipBytes(in.readableBytes());
            return;
        }
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
