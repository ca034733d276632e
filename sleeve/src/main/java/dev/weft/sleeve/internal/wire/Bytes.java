package dev.weft.sleeve.internal.wire;

import java.nio.ByteBuffer;

/** Big-endian unsigned fields of 24 and 48 bits, which ByteBuffer lacks. Absolute indexes. */
final class Bytes {
    private Bytes() {}

    static void putU24(ByteBuffer b, int at, int v) {
        b.put(at, (byte) (v >>> 16));
        b.putShort(at + 1, (short) v);
    }

    static int getU24(ByteBuffer b, int at) {
        return ((b.get(at) & 0xff) << 16) | (b.getShort(at + 1) & 0xffff);
    }

    static void putU48(ByteBuffer b, int at, long v) {
        b.putShort(at, (short) (v >>> 32));
        b.putInt(at + 2, (int) v);
    }

    static long getU48(ByteBuffer b, int at) {
        return ((long) (b.getShort(at) & 0xffff) << 32) | (b.getInt(at + 2) & 0xffffffffL);
    }
}
