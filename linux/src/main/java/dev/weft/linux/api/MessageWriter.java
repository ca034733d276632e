package dev.weft.linux.api;

import dev.weft.linux.internal.ffi.Native;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Builds one netlink message (or a batch of them, {@link #next}) in a direct buffer: the 16-byte
 * header, then any fixed header the
 * protocol needs ({@code ifinfomsg}, {@code genlmsghdr}, {@code ovs_header}, ...) written with the
 * raw {@code put*} methods, then attributes (aligned, nested with {@link #beginNested}/{@link
 * #endNested}). Values are in host byte order unless the method says otherwise.
 *
 * <p>Not thread-safe: one writer belongs to one thread at a time (a {@link NetlinkSocket} owns
 * one and lends it per request). It grows as needed up to {@link #MAX_LENGTH}; the buffer it
 * returns from {@link #finish()} stays valid until the next {@link #begin}.
 */
public final class MessageWriter {
    /** Larger requests are a bug: the kernel caps what it accepts far below this. */
    public static final int MAX_LENGTH = 1 << 20;

    private ByteBuffer buf;
    private int start;

    /** A writer with an initial capacity in bytes (it grows on demand). */
    public MessageWriter(int initialCapacity) {
        buf = Native.allocate(Math.max(initialCapacity, 64));
    }

    /** Starts a new message, discarding any previous one; sequence and port are set on send. */
    public MessageWriter begin(int type, int flags) {
        buf.clear();
        start = 0;
        ensure(Netlink.HEADER_LENGTH);
        buf.putInt(0).putShort((short) type).putShort((short) flags).putInt(0).putInt(0);
        return this;
    }

    /**
     * Ends the current message and starts another after it in the same buffer: a batch that one
     * send carries (nftables wants its changes between a batch-begin and a batch-end message).
     * {@link NetlinkSocket} gives every message of the batch the same sequence number, and
     * {@link #type()}, {@link #flags()} and {@link #addFlags} apply to the last one.
     */
    public MessageWriter next(int type, int flags) {
        buf.putInt(start, buf.position() - start);
        align();
        start = buf.position();
        ensure(Netlink.HEADER_LENGTH);
        buf.putInt(0).putShort((short) type).putShort((short) flags).putInt(0).putInt(0);
        return this;
    }

    /** The message type given to {@link #begin}. */
    public int type() {
        return buf.getShort(start + 4) & 0xffff;
    }

    /** The flags given to {@link #begin}, plus any added by {@link #addFlags}. */
    public int flags() {
        return buf.getShort(start + 6) & 0xffff;
    }

    /** ORs flags into the header. */
    public MessageWriter addFlags(int flags) {
        buf.putShort(start + 6, (short) (flags() | flags));
        return this;
    }

    void sequence(int seq, int portId) {
        for (int at = 0; at <= start; at += Netlink.align(buf.getInt(at))) {
            buf.putInt(at + 8, seq).putInt(at + 12, portId);
            if (at == start) {
                break;
            }
        }
    }

    public MessageWriter putU8(int v) {
        ensure(1);
        buf.put((byte) v);
        return this;
    }

    public MessageWriter putU16(int v) {
        ensure(2);
        buf.putShort((short) v);
        return this;
    }

    public MessageWriter putU32(int v) {
        ensure(4);
        buf.putInt(v);
        return this;
    }

    public MessageWriter putU64(long v) {
        ensure(8);
        buf.putLong(v);
        return this;
    }

    public MessageWriter putBytes(byte[] v) {
        ensure(v.length);
        buf.put(v);
        return this;
    }

    /** Copies {@code src}'s remaining bytes without moving its position. */
    public MessageWriter putBytes(ByteBuffer src) {
        ensure(src.remaining());
        buf.put(buf.position(), src, src.position(), src.remaining());
        buf.position(buf.position() + src.remaining());
        return this;
    }

    public MessageWriter putZeros(int n) {
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf.put((byte) 0);
        }
        return this;
    }

    /** Pads with zeros to the next 4-byte boundary. */
    public MessageWriter align() {
        return putZeros(Netlink.align(buf.position()) - buf.position());
    }

    /** A flag attribute: a header and no payload. */
    public MessageWriter attr(int type) {
        return attrHeader(type, 0);
    }

    public MessageWriter attrU8(int type, int v) {
        return attrHeader(type, 1).putU8(v).align();
    }

    public MessageWriter attrU16(int type, int v) {
        return attrHeader(type, 2).putU16(v).align();
    }

    /** A 16-bit value in network byte order (ports). */
    public MessageWriter attrU16Be(int type, int v) {
        return attrHeader(type, 2).putU16(Short.reverseBytes((short) v)).align();
    }

    public MessageWriter attrU32(int type, int v) {
        return attrHeader(type, 4).putU32(v);
    }

    /** A 32-bit value in network byte order. */
    public MessageWriter attrU32Be(int type, int v) {
        return attrHeader(type, 4).putU32(Integer.reverseBytes(v));
    }

    public MessageWriter attrU64(int type, long v) {
        return attrHeader(type, 8).putU64(v);
    }

    /** A NUL-terminated string (what the kernel's NLA_NUL_STRING and NLA_STRING accept). */
    public MessageWriter attrString(int type, String v) {
        byte[] b = v.getBytes(StandardCharsets.UTF_8);
        return attrHeader(type, b.length + 1).putBytes(b).putU8(0).align();
    }

    public MessageWriter attrBytes(int type, byte[] v) {
        return attrHeader(type, v.length).putBytes(v).align();
    }

    /** Copies {@code v}'s remaining bytes as the payload, without moving its position. */
    public MessageWriter attrBytes(int type, ByteBuffer v) {
        return attrHeader(type, v.remaining()).putBytes(v).align();
    }

    /** An IPv4 (4 bytes) or IPv6 (16 bytes) address, network byte order as the kernel wants. */
    public MessageWriter attrAddress(int type, InetAddress a) {
        return attrBytes(type, a.getAddress());
    }

    /** The address family of {@code a}: AF_INET (2) or AF_INET6 (10). */
    public static int family(InetAddress a) {
        return a instanceof Inet4Address ? 2 : 10;
    }

    /** Opens a nested attribute; returns a token for {@link #endNested}. */
    public int beginNested(int type) {
        int token = buf.position();
        attrHeader(type | Netlink.NLA_F_NESTED, 0);
        return token;
    }

    /** Closes the nested attribute opened with the token, fixing its length. */
    public MessageWriter endNested(int token) {
        align();
        buf.putShort(token, (short) (buf.position() - token));
        return this;
    }

    /** Opens a nested attribute without the NLA_F_NESTED bit (some old families reject it). */
    public int beginNestedPlain(int type) {
        int token = buf.position();
        attrHeader(type, 0);
        return token;
    }

    /** Current length of the message in bytes. */
    public int length() {
        return buf.position() - start;
    }

    /**
     * Fixes the header length and returns the message as a buffer positioned at its first byte
     * and limited after its last. Owned by this writer: valid until the next {@link #begin}.
     */
    public ByteBuffer finish() {
        buf.putInt(start, buf.position() - start);
        return buf.duplicate().order(ByteOrder.nativeOrder()).flip();
    }

    ByteBuffer buffer() {
        buf.putInt(start, buf.position() - start);
        return buf;
    }

    private MessageWriter attrHeader(int type, int payloadLength) {
        int len = 4 + payloadLength;
        if (len > 0xffff) {
            throw new IllegalArgumentException("attribute " + type + " too long: " + payloadLength + " bytes");
        }
        ensure(4);
        buf.putShort((short) len).putShort((short) type);
        return this;
    }

    private void ensure(int more) {
        if (buf.remaining() >= more + 4) {
            return;
        }
        int need = buf.position() + more + 4;
        if (need > MAX_LENGTH) {
            throw new IllegalArgumentException("netlink message larger than " + MAX_LENGTH + " bytes");
        }
        int cap = Math.min(MAX_LENGTH, Math.max(need, buf.capacity() * 2));
        ByteBuffer bigger = Native.allocate(cap);
        bigger.put(0, buf, 0, buf.position());
        bigger.position(buf.position());
        buf = bigger;
    }
}
