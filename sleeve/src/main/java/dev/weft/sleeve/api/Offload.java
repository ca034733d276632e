package dev.weft.sleeve.api;

/**
 * The offload metadata of one frame, as Linux's {@code struct virtio_net_hdr} carries it between
 * a TAP device opened with {@code IFF_VNET_HDR} and userspace: whether the L4 checksum is still
 * to be computed ({@link #FLAG_NEEDS_CSUM}, with its start and offset) and whether the frame is a
 * TSO/GSO super-frame to be cut into {@code gsoSize}-byte segments after {@code hdrLen} bytes of
 * headers. Mutable and reused per thread: the hot path allocates none.
 */
public final class Offload {
    public static final int FLAG_NEEDS_CSUM = 1;
    public static final int FLAG_DATA_VALID = 2;
    private static final int KNOWN_FLAGS = FLAG_NEEDS_CSUM | FLAG_DATA_VALID;

    public static final int GSO_NONE = 0;
    public static final int GSO_TCPV4 = 1;
    public static final int GSO_UDP = 3;
    public static final int GSO_TCPV6 = 4;
    public static final int GSO_UDP_L4 = 5;
    public static final int GSO_ECN = 0x80;

    private int flags;
    private int gsoType;
    private int hdrLen;
    private int gsoSize;
    private int csumStart;
    private int csumOffset;

    /** Sets every field at once. */
    public Offload set(int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset) {
        this.flags = flags;
        this.gsoType = gsoType;
        this.hdrLen = hdrLen;
        this.gsoSize = gsoSize;
        this.csumStart = csumStart;
        this.csumOffset = csumOffset;
        return this;
    }

    /** Checksum flags: {@link #FLAG_NEEDS_CSUM}, {@link #FLAG_DATA_VALID}. */
    public int flags() {
        return flags;
    }

    /** The GSO type ({@code GSO_*}, possibly with {@link #GSO_ECN}). */
    public int gsoType() {
        return gsoType;
    }

    /** The header length hint, bytes. */
    public int hdrLen() {
        return hdrLen;
    }

    /** The segment payload size of a super-frame, bytes. */
    public int gsoSize() {
        return gsoSize;
    }

    /** Where checksumming starts, bytes from the frame's start. */
    public int csumStart() {
        return csumStart;
    }

    /** Where the checksum goes, bytes from {@link #csumStart()}. */
    public int csumOffset() {
        return csumOffset;
    }

    /** Resets to "a plain frame with a complete checksum". */
    public Offload clear() {
        flags = 0;
        gsoType = GSO_NONE;
        hdrLen = 0;
        gsoSize = 0;
        csumStart = 0;
        csumOffset = 0;
        return this;
    }

    /** True when the frame needs no metadata at all (nothing to compute, nothing to segment). */
    public boolean isPlain() {
        return flags == 0 && gsoType == GSO_NONE;
    }

    /** True when the frame is a super-frame to be segmented. */
    public boolean isGso() {
        return (gsoType & ~GSO_ECN) != GSO_NONE;
    }

    public void copyFrom(Offload o) {
        flags = o.flags;
        gsoType = o.gsoType;
        hdrLen = o.hdrLen;
        gsoSize = o.gsoSize;
        csumStart = o.csumStart;
        csumOffset = o.csumOffset;
    }

    /**
     * Checks the fields against each other and against a frame of {@code frameLength} bytes.
     * Returns false for metadata the kernel would reject or that would make it read outside the
     * frame.
     */
    public boolean isConsistent(int frameLength) {
        if ((flags & ~KNOWN_FLAGS) != 0) {
            return false;
        }
        int type = gsoType & ~GSO_ECN;
        if (type != GSO_NONE && type != GSO_TCPV4 && type != GSO_UDP && type != GSO_TCPV6 && type != GSO_UDP_L4) {
            return false;
        }
        if ((flags & FLAG_NEEDS_CSUM) != 0 && (csumStart + csumOffset + 2 > frameLength)) {
            return false;
        }
        if (type != GSO_NONE && (gsoSize == 0 || hdrLen > frameLength)) {
            return false;
        }
        return true;
    }

    @Override
    public String toString() {
        return "Offload[flags=" + flags + " gso=" + gsoType + " hdrLen=" + hdrLen + " gsoSize=" + gsoSize + " csum="
                + csumStart + "+" + csumOffset + "]";
    }
}
