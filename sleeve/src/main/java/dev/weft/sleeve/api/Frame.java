package dev.weft.sleeve.api;

import java.nio.ByteBuffer;

/**
 * An Ethernet frame passing through the data plane on one thread: a window of a big-endian
 * buffer with its offload metadata. Mutable and reused: it is valid only during the call it is
 * passed to; keep nothing from it. At least {@link #HEADROOM} bytes before {@link #offset()} are
 * scratch space the data plane may overwrite (to put its headers in front of the frame without
 * copying it).
 */
public final class Frame {
    /** Writable bytes guaranteed before every frame's first byte. */
    public static final int HEADROOM = 32;

    public static final long BROADCAST_MAC = 0xffff_ffff_ffffL;
    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_ARP = 0x0806;
    public static final int ETHERTYPE_IPV6 = 0x86dd;

    private ByteBuffer buffer;
    private int offset;
    private int length;
    private final Offload offload = new Offload();

    /** Points this view at {@code buffer[offset, offset + length)}; keeps the offload metadata. */
    public Frame set(ByteBuffer buffer, int offset, int length) {
        if (offset < HEADROOM) {
            throw new IllegalArgumentException("a frame needs " + HEADROOM + " bytes of headroom, offset " + offset);
        }
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    public ByteBuffer buffer() {
        return buffer;
    }

    public int offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    public Offload offload() {
        return offload;
    }

    /** The destination MAC address as a 48-bit number. */
    public long dstMac() {
        return mac(offset);
    }

    /** The source MAC address as a 48-bit number. */
    public long srcMac() {
        return mac(offset + 6);
    }

    private long mac(int at) {
        return ((long) (buffer.getShort(at) & 0xffff) << 32) | (buffer.getInt(at + 2) & 0xffffffffL);
    }

    /** The EtherType (without looking through VLAN tags). */
    public int etherType() {
        return buffer.getShort(offset + 12) & 0xffff;
    }

    /** True for broadcast and multicast destinations (the group bit of the first octet). */
    public boolean isGroupDestination() {
        return (buffer.get(offset) & 1) != 0;
    }

    /** True for an IPv4 frame long enough to hold its IP header. */
    public boolean isIpv4() {
        return length >= 14 + 20 && etherType() == ETHERTYPE_IPV4 && (buffer.get(offset + 14) & 0xf0) == 0x40;
    }

    /** For an IPv4 frame: is the don't-fragment bit set? */
    public boolean ipv4DontFragment() {
        return (buffer.get(offset + 14 + 6) & 0x40) != 0;
    }

    /** For an IPv4 frame: the IP packet's total length field. */
    public int ipv4TotalLength() {
        return buffer.getShort(offset + 14 + 2) & 0xffff;
    }

    /**
     * The size of the largest IP packet this frame will become on the wire: for a TSO/GSO
     * super-frame, one segment (headers plus one {@code gsoSize} payload); otherwise the frame
     * minus its Ethernet header.
     */
    public int largestIpPacket() {
        if (!offload.isGso()) {
            return length - 14;
        }
        // virtio's hdr_len is only a hint (Linux reports the linear part), so measure the headers.
        int type = offload.gsoType() & ~Offload.GSO_ECN;
        int l3;
        if (type == Offload.GSO_TCPV6) {
            l3 = 40;
        } else if (length >= 14 + 20) {
            l3 = (buffer.get(offset + 14) & 0x0f) * 4;
        } else {
            return length - 14;
        }
        int l4 = 8;
        if ((type == Offload.GSO_TCPV4 || type == Offload.GSO_TCPV6) && length >= 14 + l3 + 20) {
            l4 = ((buffer.get(offset + 14 + l3 + 12) & 0xf0) >>> 4) * 4;
        }
        return Math.min(length - 14, l3 + l4 + offload.gsoSize());
    }

    /** A readable one-line description, for logs and tests (allocates). */
    @Override
    public String toString() {
        return String.format(
                java.util.Locale.ROOT,
                "Frame[%d bytes %012x -> %012x type %04x %s]",
                length,
                srcMac(),
                dstMac(),
                etherType(),
                offload);
    }
}
