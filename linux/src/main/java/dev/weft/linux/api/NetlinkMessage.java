package dev.weft.linux.api;

import java.nio.ByteBuffer;

/**
 * A read-only view of one netlink message inside a receive buffer. The view (and the buffer
 * under it) belongs to the {@link NetlinkSocket} that delivered it and is valid only during the
 * {@link MessageHandler#onMessage} call: copy out what you keep. Header fields were bounds-checked
 * when the view was made; the payload is read through {@link #attributes(int)} and the {@code
 * u8/u16/u32} accessors, which check bounds too.
 */
public final class NetlinkMessage {
    private ByteBuffer buf;
    private int offset;
    private int length;

    NetlinkMessage() {}

    /**
     * Views the message at {@code offset}; {@code available} bytes follow it in {@code buf}.
     *
     * @throws MalformedMessageException if the header does not fit or claims more than is there
     */
    public static NetlinkMessage at(ByteBuffer buf, int offset, int available) {
        NetlinkMessage m = new NetlinkMessage();
        m.reset(buf, offset, available);
        return m;
    }

    void reset(ByteBuffer buffer, int off, int available) {
        if (available < Netlink.HEADER_LENGTH) {
            throw new MalformedMessageException(
                    "truncated netlink header: " + available + " bytes, need " + Netlink.HEADER_LENGTH);
        }
        int len = buffer.getInt(off);
        if (len < Netlink.HEADER_LENGTH || len > available) {
            throw new MalformedMessageException("netlink message length " + Integer.toUnsignedString(len)
                    + " out of range [" + Netlink.HEADER_LENGTH + ", " + available + "]");
        }
        this.buf = buffer;
        this.offset = off;
        this.length = len;
    }

    /** Total length including the 16-byte header. */
    public int length() {
        return length;
    }

    public int type() {
        return buf.getShort(offset + 4) & 0xffff;
    }

    public int flags() {
        return buf.getShort(offset + 6) & 0xffff;
    }

    public int sequence() {
        return buf.getInt(offset + 8);
    }

    /** The sender's port id (0 for the kernel). */
    public int portId() {
        return buf.getInt(offset + 12);
    }

    /** Offset of the first payload byte in {@link #buffer()}. */
    public int payloadOffset() {
        return offset + Netlink.HEADER_LENGTH;
    }

    /** Bytes of payload after the header. */
    public int payloadLength() {
        return length - Netlink.HEADER_LENGTH;
    }

    /** The underlying buffer (absolute offsets; do not change its position or limit). */
    public ByteBuffer buffer() {
        return buf;
    }

    /** An unsigned byte at {@code at} bytes into the payload. */
    public int u8(int at) {
        check(at, 1);
        return buf.get(payloadOffset() + at) & 0xff;
    }

    /** An unsigned 16-bit host-order value at {@code at} bytes into the payload. */
    public int u16(int at) {
        check(at, 2);
        return buf.getShort(payloadOffset() + at) & 0xffff;
    }

    /** A 32-bit host-order value at {@code at} bytes into the payload. */
    public int u32(int at) {
        check(at, 4);
        return buf.getInt(payloadOffset() + at);
    }

    /**
     * The attributes that follow a fixed header of {@code fixedHeaderLength} bytes (aligned to 4)
     * in the payload, e.g. 16 for {@code ifinfomsg}, 4 for {@code genlmsghdr}.
     */
    public Attributes attributes(int fixedHeaderLength) {
        int skip = Netlink.align(fixedHeaderLength);
        if (skip > payloadLength()) {
            throw new MalformedMessageException("message type " + type() + " payload of " + payloadLength()
                    + " bytes is shorter than its " + fixedHeaderLength + "-byte fixed header");
        }
        return new Attributes(buf, payloadOffset() + skip, offset + length);
    }

    private void check(int at, int size) {
        if (at < 0 || at + size > payloadLength()) {
            throw new MalformedMessageException("message type " + type() + ": field at " + at + " (+" + size
                    + ") beyond payload of " + payloadLength() + " bytes");
        }
    }

    @Override
    public String toString() {
        return "NetlinkMessage[type=" + type() + ", flags=0x" + Integer.toHexString(flags()) + ", seq="
                + Integer.toUnsignedString(sequence()) + ", len=" + length + "]";
    }
}
