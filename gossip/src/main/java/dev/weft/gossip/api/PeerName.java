package dev.weft.gossip.api;

import java.util.HexFormat;

/**
 * A peer's stable 48-bit name, printed like a MAC address ({@code aa:bb:cc:dd:ee:ff}).
 *
 * <p>The name identifies a node across restarts (it is persisted or derived from the machine id);
 * {@link PeerUid} distinguishes incarnations. {@link #UNKNOWN} ({@code 00:00:00:00:00:00}) is a
 * sentinel that never names a real peer. Immutable, comparable by numeric value (the order used by
 * route calculation and short-ID collision resolution), safe to share between threads.
 */
public record PeerName(long value) implements Comparable<PeerName> {

    /** Bytes in the binary form. */
    public static final int BYTES = 6;

    private static final long MASK = 0xFFFF_FFFF_FFFFL;

    /** The sentinel "no peer". */
    public static final PeerName UNKNOWN = new PeerName(0);

    /**
     * @throws IllegalArgumentException when {@code value} does not fit in 48 bits
     */
    public PeerName {
        if ((value & ~MASK) != 0) {
            throw new IllegalArgumentException("a peer name has 48 bits: " + Long.toHexString(value));
        }
    }

    /** The name with this numeric value (48 bits). */
    public static PeerName of(long value) {
        return new PeerName(value);
    }

    /**
     * Parses {@code aa:bb:cc:dd:ee:ff}, or an abbreviation with one {@code ::} standing for
     * zero groups as in mesh and IPv6 ({@code ::1}, {@code aa::ff}, {@code aa:bb::}). Groups are one
     * or two hex digits.
     *
     * @throws IllegalArgumentException with the offending text when it is not a peer name
     */
    public static PeerName parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 17) {
            throw invalid(text);
        }
        int gap = text.indexOf("::");
        long[] groups = new long[6];
        if (gap < 0) {
            String[] parts = text.split(":", -1);
            if (parts.length != 6) {
                throw invalid(text);
            }
            for (int i = 0; i < 6; i++) {
                groups[i] = group(parts[i], text);
            }
        } else {
            if (text.indexOf("::", gap + 1) >= 0) {
                throw invalid(text);
            }
            String head = text.substring(0, gap);
            String tail = text.substring(gap + 2);
            String[] h = head.isEmpty() ? new String[0] : head.split(":", -1);
            String[] t = tail.isEmpty() ? new String[0] : tail.split(":", -1);
            // "::" stands for at least one zero group, and at least one group is written (as mesh).
            if (h.length + t.length > 5 || h.length + t.length == 0) {
                throw invalid(text);
            }
            for (int i = 0; i < h.length; i++) {
                groups[i] = group(h[i], text);
            }
            for (int i = 0; i < t.length; i++) {
                groups[6 - t.length + i] = group(t[i], text);
            }
        }
        long v = 0;
        for (long g : groups) {
            v = (v << 8) | g;
        }
        return new PeerName(v);
    }

    private static long group(String s, String text) {
        if (s.isEmpty() || s.length() > 2) {
            throw invalid(text);
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) {
                throw invalid(text);
            }
            v = v * 16 + d;
        }
        return v;
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException(
                "invalid peer name '" + text + "': expected six hex bytes like aa:bb:cc:dd:ee:ff");
    }

    /** Reads 6 big-endian bytes at {@code offset}. Does not retain {@code bytes}. */
    public static PeerName fromBytes(byte[] bytes, int offset) {
        long v = 0;
        for (int i = 0; i < BYTES; i++) {
            v = (v << 8) | (bytes[offset + i] & 0xFF);
        }
        return new PeerName(v);
    }

    /** The 6 big-endian bytes, a fresh array. */
    public byte[] toBytes() {
        byte[] b = new byte[BYTES];
        long v = value;
        for (int i = BYTES - 1; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }

    /** True for {@link #UNKNOWN}. */
    public boolean isUnknown() {
        return value == 0;
    }

    @Override
    public int compareTo(PeerName o) {
        return Long.compare(value, o.value);
    }

    /** {@code aa:bb:cc:dd:ee:ff}, lower case. */
    @Override
    public String toString() {
        String hex = HexFormat.of().toHexDigits(value).substring(4);
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < 12; i += 2) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(hex, i, i + 2);
        }
        return sb.toString();
    }
}
