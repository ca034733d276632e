package dev.weft.fastpath.api;

/**
 * The 24-bit VXLAN network identifier of Weft's fast path, carrying both ends' 12-bit short IDs as
 * Weave does: source short ID in bits 0-11, destination short ID in bits 12-23. A receiver learns
 * from the VNI alone which peer sent a frame and that it was meant for it, without a lookup by
 * outer address (which NAT may rewrite). Pure functions; any thread.
 */
public final class Vni {
    private Vni() {}

    /** Largest short ID: 12 bits. */
    public static final int MAX_SHORT_ID = 0xfff;

    /** The VNI of a frame from {@code source} to {@code destination} (short IDs). */
    public static int of(int source, int destination) {
        check(source);
        check(destination);
        return source | destination << 12;
    }

    /** The sender's short ID. */
    public static int source(long vni) {
        return (int) (vni & MAX_SHORT_ID);
    }

    /** The receiver's short ID. */
    public static int destination(long vni) {
        return (int) ((vni >>> 12) & MAX_SHORT_ID);
    }

    /** True when the value fits in 24 bits (a tunnel id from the kernel may carry 64). */
    public static boolean isValid(long vni) {
        return vni >= 0 && vni <= 0xff_ffff;
    }

    private static void check(int shortId) {
        if (shortId < 0 || shortId > MAX_SHORT_ID) {
            throw new IllegalArgumentException("a short ID has 12 bits (0..4095): " + shortId);
        }
    }
}
