package dev.weft.linux.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over a run of netlink attributes ({@code struct nlattr}: 16-bit length, 16-bit type,
 * payload, padding to 4). Call {@link #next()} until it returns false, then read the current
 * attribute with the typed getters, each of which checks the payload size. Every length is
 * checked against the container before anything is read: a truncated or oversized attribute
 * throws {@link MalformedMessageException}.
 *
 * <p>Not thread-safe; valid as long as the buffer it reads is (see {@link NetlinkMessage}).
 */
public final class Attributes {
    private final ByteBuffer buf;
    private final int start;
    private final int end;
    private int next;
    private int current = -1;
    private int currentLength;

    /** Attributes in {@code buf} from {@code start} (inclusive) to {@code end} (exclusive). */
    public Attributes(ByteBuffer buf, int start, int end) {
        if (start < 0 || end > buf.limit() || start > end) {
            throw new MalformedMessageException(
                    "attribute range [" + start + ", " + end + ") outside buffer of " + buf.limit() + " bytes");
        }
        this.buf = buf;
        this.start = start;
        this.end = end;
        this.next = start;
    }

    /** Rewinds to the first attribute. */
    public Attributes rewind() {
        next = start;
        current = -1;
        return this;
    }

    /**
     * Moves to the next attribute; false at the end.
     *
     * @throws MalformedMessageException if the next attribute's header or payload runs past the
     *     container or its length is shorter than its header
     */
    public boolean next() {
        if (next >= end) {
            current = -1;
            return false;
        }
        if (end - next < 4) {
            throw new MalformedMessageException(
                    "truncated attribute header: " + (end - next) + " bytes left at offset " + (next - start));
        }
        int len = buf.getShort(next) & 0xffff;
        if (len < 4) {
            throw new MalformedMessageException(
                    "attribute length " + len + " shorter than its header at offset " + (next - start));
        }
        if (len > end - next) {
            throw new MalformedMessageException("attribute type " + (buf.getShort(next + 2) & Netlink.NLA_TYPE_MASK)
                    + " length " + len + " runs past its container (" + (end - next) + " bytes left)");
        }
        current = next;
        currentLength = len;
        // The last attribute may omit its padding.
        next = Math.min(end, next + Netlink.align(len));
        return true;
    }

    /** Type of the current attribute, without the nested/byte-order flag bits. */
    public int type() {
        return buf.getShort(at() + 2) & Netlink.NLA_TYPE_MASK;
    }

    /** True when the sender set NLA_F_NESTED. */
    public boolean nestedFlag() {
        return (buf.getShort(at() + 2) & Netlink.NLA_F_NESTED) != 0;
    }

    /** Payload length in bytes. */
    public int length() {
        at();
        return currentLength - 4;
    }

    /** Offset of the payload in the underlying buffer. */
    public int payloadOffset() {
        return at() + 4;
    }

    public int u8() {
        return buf.get(payload(1)) & 0xff;
    }

    public int u16() {
        return buf.getShort(payload(2)) & 0xffff;
    }

    /** A 16-bit value sent in network byte order (ports). */
    public int u16Be() {
        return Short.reverseBytes(buf.getShort(payload(2))) & 0xffff;
    }

    public int u32() {
        return buf.getInt(payload(4));
    }

    /** A 32-bit value sent in network byte order. */
    public int u32Be() {
        return Integer.reverseBytes(buf.getInt(payload(4)));
    }

    public long u64() {
        return buf.getLong(payload(8));
    }

    /** A string; stops at the first NUL (which may be absent). */
    public String string() {
        int off = payloadOffset();
        int len = length();
        int n = 0;
        while (n < len && buf.get(off + n) != 0) {
            n++;
        }
        byte[] b = new byte[n];
        buf.get(off, b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** A copy of the payload. */
    public byte[] bytes() {
        byte[] b = new byte[length()];
        buf.get(payloadOffset(), b);
        return b;
    }

    /** The payload as an IPv4 (4 bytes) or IPv6 (16 bytes) address. */
    public InetAddress address() {
        int len = length();
        if (len != 4 && len != 16) {
            throw new MalformedMessageException("attribute type " + type() + ": address of " + len + " bytes");
        }
        try {
            return InetAddress.getByAddress(bytes());
        } catch (UnknownHostException e) {
            throw new MalformedMessageException("attribute type " + type() + ": " + e.getMessage());
        }
    }

    /** The payload as a nested run of attributes. */
    public Attributes nested() {
        return new Attributes(buf, payloadOffset(), at() + currentLength);
    }

    private int at() {
        if (current < 0) {
            throw new IllegalStateException("no current attribute: call next() first");
        }
        return current;
    }

    private int payload(int size) {
        int len = length();
        if (len < size) {
            throw new MalformedMessageException(
                    "attribute type " + type() + ": " + len + " bytes, expected at least " + size);
        }
        return payloadOffset();
    }
}
