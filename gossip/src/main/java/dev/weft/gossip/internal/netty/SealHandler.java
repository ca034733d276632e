package dev.weft.gossip.internal.netty;

import dev.weft.gossip.internal.crypto.NonceCounter;
import dev.weft.gossip.internal.crypto.SecretBox;
import dev.weft.gossip.internal.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Seals outgoing frame bodies and opens incoming ones with XSalsa20-Poly1305, one key and one
 * counter nonce per direction. A frame that fails to open (forged, replayed, reordered, or from
 * someone without the password) is a protocol error: the connection is closed. One per connection.
 */
final class SealHandler extends ChannelDuplexHandler {

    private final SecretBox sealer;
    private final SecretBox opener;
    private final NonceCounter sendNonces;
    private final NonceCounter receiveNonces;

    /**
     * @param sendKey key of the direction we send
     * @param receiveKey key of the direction we receive
     * @param weDialled true on the dialler's side (selects the nonce direction bits)
     */
    SealHandler(byte[] sendKey, byte[] receiveKey, boolean weDialled) {
        this.sealer = new SecretBox(sendKey);
        this.opener = new SecretBox(receiveKey);
        this.sendNonces = new NonceCounter(weDialled);
        this.receiveNonces = new NonceCounter(!weDialled);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf sealed)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            int len = sealed.readableBytes();
            if (len <= SecretBox.TAG_BYTES) {
                throw new ProtocolException("sealed frame too short (" + len + " bytes)");
            }
            byte[] in = new byte[len];
            sealed.readBytes(in);
            ByteBuf plain = ctx.alloc().heapBuffer(len - SecretBox.TAG_BYTES);
            boolean ok;
            try {
                ok = opener.open(receiveNonces.next(), in, 0, len, plain.array(), plain.arrayOffset());
            } catch (RuntimeException e) {
                plain.release();
                throw e;
            }
            if (!ok) {
                plain.release();
                throw new ProtocolException("message authentication failed: forged, replayed or reordered message,"
                        + " or a different password");
            }
            plain.writerIndex(len - SecretBox.TAG_BYTES);
            ctx.fireChannelRead(plain);
        } finally {
            sealed.release();
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf body)) {
            ctx.write(msg, promise);
            return;
        }
        ByteBuf sealed;
        try {
            int len = body.readableBytes();
            byte[] in;
            int off;
            if (body.hasArray()) {
                in = body.array();
                off = body.arrayOffset() + body.readerIndex();
            } else {
                in = new byte[len];
                body.getBytes(body.readerIndex(), in);
                off = 0;
            }
            sealed = ctx.alloc().heapBuffer(len + SecretBox.TAG_BYTES);
            sealer.seal(sendNonces.next(), in, off, len, sealed.array(), sealed.arrayOffset());
            sealed.writerIndex(len + SecretBox.TAG_BYTES);
        } finally {
            body.release();
        }
        ctx.write(sealed, promise);
    }
}
