package dev.weft.linux.api;

import java.util.HexFormat;

/**
 * A 48-bit Ethernet address held in the low bits of a long (so the hot path compares and hashes
 * it without allocating). Immutable.
 */
public record MacAddress(long bits) {
    /** 00:00:00:00:00:00, the VXLAN FDB "flood to this VTEP" address. */
    public static final MacAddress ZERO = new MacAddress(0);

    public static final MacAddress BROADCAST = new MacAddress(0xffff_ffff_ffffL);

    public MacAddress {
        if ((bits & ~0xffff_ffff_ffffL) != 0) {
            throw new IllegalArgumentException("MAC address wider than 48 bits: 0x" + Long.toHexString(bits));
        }
    }

    /** Parses {@code "aa:bb:cc:dd:ee:ff"} (also accepts '-' separators). */
    public static MacAddress parse(String text) {
        String[] parts = text.split("[:-]", -1);
        if (parts.length != 6) {
            throw new IllegalArgumentException("not a MAC address: \"" + text + "\"");
        }
        long v = 0;
        for (String p : parts) {
            if (p.length() != 2) {
                throw new IllegalArgumentException("not a MAC address: \"" + text + "\"");
            }
            v = (v << 8) | HexFormat.fromHexDigits(p);
        }
        return new MacAddress(v);
    }

    /** From 6 bytes in wire order. */
    public static MacAddress of(byte[] b) {
        if (b.length != 6) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, got " + b.length);
        }
        return new MacAddress(fromBytes(b, 0));
    }

    private static long fromBytes(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }

    /** 6 bytes in wire order. */
    public byte[] toBytes() {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (bits >>> (40 - 8 * i));
        }
        return b;
    }

    /** True for group (multicast and broadcast) addresses: the I/G bit of the first byte. */
    public boolean isMulticast() {
        return (bits & 0x0100_0000_0000L) != 0;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(17);
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                s.append(':');
            }
            s.append(HexFormat.of().toHexDigits((byte) (bits >>> (40 - 8 * i))));
        }
        return s.toString();
    }
}
