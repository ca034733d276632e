package dev.weft.sleeve.internal.wire;

import dev.weft.sleeve.api.Offload;
import java.nio.ByteBuffer;

/**
 * One Ethernet frame inside a data message (see {@code docs/protocol.md}). A message holds one or
 * more records back to back, without padding:
 *
 * <pre>
 *  0  6B   source peer: where the frame entered the mesh
 *  6  6B   destination peer: where it leaves the mesh (for a flooded frame, the neighbour it is sent to)
 * 12  u8   flags: bit 0 offload block follows, bit 1 flooded; other bits 0
 * 13  u24  frame length, MIN_FRAME..MAX_FRAME
 * -- only with the offload flag (Linux virtio_net_hdr fields, big-endian here):
 * 16  u8   checksum flags (1 needs checksum, 2 data valid)
 * 17  u8   GSO type (0 none, 1 TCPv4, 3 UDP, 4 TCPv6, 5 UDP L4; bit 7 ECN)
 * 18  u16  header length
 * 20  u16  GSO segment size
 * 22  u16  checksum start
 * 24  u16  checksum offset
 * --
 *  .. the frame's bytes
 * </pre>
 *
 * Stateless; absolute indexes; the buffer must be big-endian.
 */
public final class FrameRecord {
    public static final int HEADER = 16;
    public static final int OFFLOAD_BLOCK = 10;
    public static final int MAX_HEADER = HEADER + OFFLOAD_BLOCK;

    public static final int FLAG_OFFLOAD = 1;
    public static final int FLAG_FLOOD = 2;
    static final int KNOWN_FLAGS = FLAG_OFFLOAD | FLAG_FLOOD;

    /** An Ethernet header. */
    public static final int MIN_FRAME = 14;
    /** An Ethernet header and the largest IP packet (a TSO/GSO super-frame can reach it). */
    public static final int MAX_FRAME = 14 + 65_535;

    private FrameRecord() {}

    /** The bytes a record header for this offload metadata takes. */
    public static int headerLength(Offload offload) {
        return offload.isPlain() ? HEADER : MAX_HEADER;
    }

    /**
     * Writes a record header at {@code at} for a frame of {@code frameLength} bytes that will
     * follow it. Returns the header's length.
     */
    public static int writeHeader(
            ByteBuffer b, int at, long src, long dst, boolean flood, int frameLength, Offload offload) {
        boolean withOffload = !offload.isPlain();
        Bytes.putU48(b, at, src);
        Bytes.putU48(b, at + 6, dst);
        b.put(at + 12, (byte) ((withOffload ? FLAG_OFFLOAD : 0) | (flood ? FLAG_FLOOD : 0)));
        Bytes.putU24(b, at + 13, frameLength);
        if (!withOffload) {
            return HEADER;
        }
        b.put(at + 16, (byte) offload.flags());
        b.put(at + 17, (byte) offload.gsoType());
        b.putShort(at + 18, (short) offload.hdrLen());
        b.putShort(at + 20, (short) offload.gsoSize());
        b.putShort(at + 22, (short) offload.csumStart());
        b.putShort(at + 24, (short) offload.csumOffset());
        return MAX_HEADER;
    }

    /**
     * Decodes the record at {@code at} of a message ending at {@code end} into {@code out}.
     * Returns {@link Malformed#NONE} and fills {@code out} when the record is well formed.
     */
    public static Malformed read(ByteBuffer b, int at, int end, Parsed out) {
        if (end - at < HEADER) {
            return at == end ? Malformed.TRUNCATED : Malformed.TRAILING_BYTES;
        }
        int flags = b.get(at + 12) & 0xff;
        if ((flags & ~KNOWN_FLAGS) != 0) {
            return Malformed.BAD_RECORD;
        }
        int length = Bytes.getU24(b, at + 13);
        if (length < MIN_FRAME || length > MAX_FRAME) {
            return Malformed.BAD_LENGTH;
        }
        int header = (flags & FLAG_OFFLOAD) != 0 ? MAX_HEADER : HEADER;
        if ((long) end - at < (long) header + length) {
            return Malformed.TRUNCATED;
        }
        out.src = Bytes.getU48(b, at);
        out.dst = Bytes.getU48(b, at + 6);
        out.flood = (flags & FLAG_FLOOD) != 0;
        out.frameOffset = at + header;
        out.frameLength = length;
        out.next = at + header + length;
        Offload o = out.offload;
        if (header == HEADER) {
            o.clear();
        } else {
            o.set(
                    b.get(at + 16) & 0xff,
                    b.get(at + 17) & 0xff,
                    b.getShort(at + 18) & 0xffff,
                    b.getShort(at + 20) & 0xffff,
                    b.getShort(at + 22) & 0xffff,
                    b.getShort(at + 24) & 0xffff);
            if (!o.isConsistent(length)) {
                return Malformed.BAD_RECORD;
            }
        }
        if (out.src == 0 || out.dst == 0) {
            return Malformed.BAD_RECORD;
        }
        return Malformed.NONE;
    }

    /** A decoded record; reused by one thread. */
    public static final class Parsed {
        public long src;
        public long dst;
        public boolean flood;
        public int frameOffset;
        public int frameLength;
        /** Index of the next record (or the end of the message). */
        public int next;

        public final Offload offload = new Offload();
    }
}
