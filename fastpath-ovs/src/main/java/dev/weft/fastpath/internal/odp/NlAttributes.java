package dev.weft.fastpath.internal.odp;

import dev.weft.linux.api.MalformedMessageException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A read-only view of a run of netlink attributes, indexed by type on construction. The last
 * occurrence of a type wins; types above {@link #MAX_TYPE} and unknown types are kept but never
 * asked for, so newer kernels adding attributes do not break us. Every length is checked against
 * its container: a malformed run throws {@link MalformedMessageException} and reads nothing
 * outside the buffer. Not thread-safe; the buffer stays owned by the caller and must not change
 * while the view is used.
 */
public final class NlAttributes {
    /** Highest attribute type remembered; every ODP attribute enum ends well below it. */
    static final int MAX_TYPE = 63;

    private static final int TYPE_MASK = 0x3fff; // without NLA_F_NESTED and NLA_F_NET_BYTEORDER
    private final ByteBuffer buffer;
    private final ByteBuffer bigEndian;
    private final int[] offsets = new int[MAX_TYPE + 1];
    private final int[] lengths = new int[MAX_TYPE + 1];

    private NlAttributes(ByteBuffer buffer) {
        this.buffer = buffer;
        this.bigEndian = buffer.duplicate().order(ByteOrder.BIG_ENDIAN);
    }

    /** Parses the attributes in {@code buffer}'s remaining bytes (its position is not moved). */
    public static NlAttributes parse(ByteBuffer buffer) {
        ByteBuffer view = buffer.slice().order(ByteOrder.nativeOrder());
        NlAttributes attributes = new NlAttributes(view);
        java.util.Arrays.fill(attributes.offsets, -1);
        int position = 0;
        int limit = view.limit();
        while (limit - position >= 4) {
            int length = view.getShort(position) & 0xffff;
            int type = view.getShort(position + 2) & TYPE_MASK;
            if (length < 4 || length > limit - position) {
                throw new MalformedMessageException("netlink attribute type " + type + " claims " + length + " bytes, "
                        + (limit - position) + " left");
            }
            if (type <= MAX_TYPE) {
                attributes.offsets[type] = position + 4;
                attributes.lengths[type] = length - 4;
            }
            position += (length + 3) & ~3;
        }
        if (position < limit && limit - position < 4 && !allZero(view, position, limit)) {
            throw new MalformedMessageException("trailing " + (limit - position) + " bytes after netlink attributes");
        }
        return attributes;
    }

    private static boolean allZero(ByteBuffer view, int from, int to) {
        for (int i = from; i < to; i++) {
            if (view.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    public boolean has(int type) {
        return offsets[type] >= 0;
    }

    public int length(int type) {
        require(type);
        return lengths[type];
    }

    public int u8(int type) {
        return buffer.get(fixed(type, 1)) & 0xff;
    }

    public int u16(int type) {
        return buffer.getShort(fixed(type, 2)) & 0xffff;
    }

    public int u32(int type) {
        return buffer.getInt(fixed(type, 4));
    }

    public long u64(int type) {
        return buffer.getLong(fixed(type, 8));
    }

    /** A {@code __be16}. */
    public int be16(int type) {
        return bigEndian.getShort(fixed(type, 2)) & 0xffff;
    }

    /** A {@code __be32}. */
    public int be32(int type) {
        return bigEndian.getInt(fixed(type, 4));
    }

    /** A {@code __be64}. */
    public long be64(int type) {
        return bigEndian.getLong(fixed(type, 8));
    }

    /** A NUL-terminated (or unterminated) string. */
    public String string(int type) {
        require(type);
        int at = offsets[type];
        int length = lengths[type];
        int end = at;
        while (end < at + length && buffer.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - at];
        buffer.get(at, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The payload, as a read-only slice sharing this view's buffer. */
    public ByteBuffer bytes(int type) {
        require(type);
        // asReadOnlyBuffer() resets the byte order to big-endian: set it after
        return buffer.slice(offsets[type], lengths[type]).asReadOnlyBuffer().order(ByteOrder.nativeOrder());
    }

    /** The payload of a nested attribute, parsed. */
    public NlAttributes nested(int type) {
        require(type);
        return parse(buffer.slice(offsets[type], lengths[type]));
    }

    /** Bytes {@code [offset, offset + length)} of a fixed-size payload. */
    public void copy(int type, int offset, byte[] into) {
        require(type);
        if (offset + into.length > lengths[type]) {
            throw new MalformedMessageException(
                    "attribute " + type + " has " + lengths[type] + " bytes, need " + (offset + into.length));
        }
        buffer.get(offsets[type] + offset, into);
    }

    private int fixed(int type, int size) {
        require(type);
        if (lengths[type] != size) {
            throw new MalformedMessageException(
                    "attribute " + type + " has " + lengths[type] + " bytes, expected " + size);
        }
        return offsets[type];
    }

    private void require(int type) {
        if (type < 0 || type > MAX_TYPE || offsets[type] < 0) {
            throw new MalformedMessageException("required netlink attribute " + type + " is missing");
        }
    }
}
