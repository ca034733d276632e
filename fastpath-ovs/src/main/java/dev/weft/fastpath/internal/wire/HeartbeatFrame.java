package dev.weft.fastpath.internal.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A fast-path heartbeat: an Ethernet frame sent through the kernel data path itself (the VXLAN
 * device, or the datapath's tunnel), so it fails exactly when pod frames would. Version 1,
 * big-endian:
 *
 * <pre>
 *  0  destination MAC (6)   the peer's heartbeat MAC (VXLAN driver); zero (ODP driver)
 *  6  source MAC (6)        ours; zero (ODP driver)
 * 12  EtherType 0x88b5 (2)  IEEE 802 local experimental
 * 14  magic "wfhb" (4)
 * 18  version 1 (1)
 * 19  flags 0 (1)
 * 20  frame length (2)      the whole frame's length, so a path that truncates it is caught
 * 22  sender peer name (6)
 * 28  connection UID (8)    both ends' number for this mesh connection
 * 36  sequence (8)          echoed by the acknowledgement
 * 44  zero padding up to the frame length (a heartbeat is as long as the largest pod frame, so
 *     a path MTU that is too small makes heartbeats, and with them the fast path, fail)
 * </pre>
 *
 * Pure functions, any thread; {@link #decode} never throws on bad input (it returns null).
 */
public final class HeartbeatFrame {
    private HeartbeatFrame() {}

    public static final int ETHERTYPE = 0x88b5;
    public static final int MAGIC = 0x77666862; // "wfhb"
    public static final int VERSION = 1;
    /** Header bytes before the padding. */
    public static final int MIN_LENGTH = 44;
    /** Largest Ethernet frame a TAP or the datapath carries. */
    public static final int MAX_LENGTH = 65535;

    /** A decoded heartbeat. */
    public record Heartbeat(long destinationMac, long sourceMac, long sender, long connectionUid, long sequence) {}

    /**
     * Writes a heartbeat of {@code length} bytes into {@code out} at its position (which must be
     * big-endian or is used with absolute big-endian puts) and advances it.
     *
     * @throws IllegalArgumentException if {@code length} is outside {@link #MIN_LENGTH}..{@link
     *     #MAX_LENGTH}
     */
    public static void encode(
            ByteBuffer out,
            long destinationMac,
            long sourceMac,
            long sender,
            long connectionUid,
            long sequence,
            int length) {
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "heartbeat length " + length + " outside " + MIN_LENGTH + ".." + MAX_LENGTH);
        }
        ByteBuffer b = out.duplicate().order(ByteOrder.BIG_ENDIAN);
        put48(b, destinationMac);
        put48(b, sourceMac);
        b.putShort((short) ETHERTYPE);
        b.putInt(MAGIC);
        b.put((byte) VERSION);
        b.put((byte) 0);
        b.putShort((short) length);
        put48(b, sender);
        b.putLong(connectionUid);
        b.putLong(sequence);
        for (int i = MIN_LENGTH; i < length; i++) {
            b.put((byte) 0);
        }
        out.position(out.position() + length);
    }

    /**
     * Decodes the bytes between {@code frame}'s position and limit (not consumed). Null if they are
     * not a version-1 heartbeat whose length field matches the received length.
     */
    public static Heartbeat decode(ByteBuffer frame) {
        int p = frame.position();
        int n = frame.remaining();
        if (n < MIN_LENGTH || n > MAX_LENGTH) {
            return null;
        }
        ByteBuffer b = frame.duplicate().order(ByteOrder.BIG_ENDIAN);
        if ((b.getShort(p + 12) & 0xffff) != ETHERTYPE
                || b.getInt(p + 14) != MAGIC
                || b.get(p + 18) != VERSION
                || (b.getShort(p + 20) & 0xffff) != n) {
            return null;
        }
        return new Heartbeat(get48(b, p), get48(b, p + 6), get48(b, p + 22), b.getLong(p + 28), b.getLong(p + 36));
    }

    private static void put48(ByteBuffer b, long v) {
        b.putShort((short) (v >>> 32));
        b.putInt((int) v);
    }

    private static long get48(ByteBuffer b, int at) {
        return ((b.getShort(at) & 0xffffL) << 32) | (b.getInt(at + 2) & 0xffff_ffffL);
    }
}
