package dev.weft.linux.api;

import java.nio.ByteBuffer;

/**
 * Reads and writes the {@code struct virtio_net_hdr} ({@code linux/virtio_net.h}) a TAP opened
 * with a vnet header puts before each frame. Little-endian on this (x86_64) host, as the kernel
 * uses for TAP unless told otherwise. Static accessors on absolute offsets: no allocation.
 *
 * <p>Layout: flags u8 @0, gso_type u8 @1, hdr_len u16 @2, gso_size u16 @4, csum_start u16 @6,
 * csum_offset u16 @8, [num_buffers u16 @10 in the 12-byte form].
 */
public final class VirtioNetHeader {
    /** VIRTIO_NET_HDR_F_NEEDS_CSUM: checksum from csum_start, stored at csum_start+csum_offset. */
    public static final int F_NEEDS_CSUM = 1;
    /** VIRTIO_NET_HDR_F_DATA_VALID: the checksum was verified. */
    public static final int F_DATA_VALID = 2;

    public static final int GSO_NONE = 0;
    public static final int GSO_TCPV4 = 1;
    public static final int GSO_UDP = 3;
    public static final int GSO_TCPV6 = 4;
    /** VIRTIO_NET_HDR_GSO_UDP_L4 (linux/virtio_net.h since 5.x): UDP segmentation (USO). */
    public static final int GSO_UDP_L4 = 5;

    public static final int GSO_ECN = 0x80;

    private VirtioNetHeader() {}

    public static int flags(ByteBuffer b, int at) {
        return b.get(at) & 0xff;
    }

    public static int gsoType(ByteBuffer b, int at) {
        return b.get(at + 1) & 0xff;
    }

    public static int headerLength(ByteBuffer b, int at) {
        return Short.toUnsignedInt(le(b.getShort(at + 2), b));
    }

    public static int gsoSize(ByteBuffer b, int at) {
        return Short.toUnsignedInt(le(b.getShort(at + 4), b));
    }

    public static int csumStart(ByteBuffer b, int at) {
        return Short.toUnsignedInt(le(b.getShort(at + 6), b));
    }

    public static int csumOffset(ByteBuffer b, int at) {
        return Short.toUnsignedInt(le(b.getShort(at + 8), b));
    }

    /** Writes a header at {@code at} (the 10 bytes every form has). */
    public static void write(
            ByteBuffer b,
            int at,
            int flags,
            int gsoType,
            int headerLength,
            int gsoSize,
            int csumStart,
            int csumOffset) {
        b.put(at, (byte) flags).put(at + 1, (byte) gsoType);
        b.putShort(at + 2, le((short) headerLength, b));
        b.putShort(at + 4, le((short) gsoSize, b));
        b.putShort(at + 6, le((short) csumStart, b));
        b.putShort(at + 8, le((short) csumOffset, b));
    }

    /** Writes an all-zero header: a complete frame with a valid checksum and no segmentation. */
    public static void writeNone(ByteBuffer b, int at, int size) {
        for (int i = 0; i < size; i++) {
            b.put(at + i, (byte) 0);
        }
    }

    private static short le(short v, ByteBuffer b) {
        return b.order() == java.nio.ByteOrder.LITTLE_ENDIAN ? v : Short.reverseBytes(v);
    }
}
