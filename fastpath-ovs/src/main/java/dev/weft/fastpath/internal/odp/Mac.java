package dev.weft.fastpath.internal.odp;

/** MAC addresses as the low 48 bits of a long (no allocation per frame), and their text forms. */
public final class Mac {
    private Mac() {}

    /** Not a MAC: a flow key field that matches any address. */
    public static final long ANY = -1L;

    public static final long BROADCAST = 0xffff_ffff_ffffL;

    /** Reads 6 bytes at {@code offset}. */
    public static long read(byte[] bytes, int offset) {
        long mac = 0;
        for (int i = 0; i < 6; i++) {
            mac = (mac << 8) | (bytes[offset + i] & 0xff);
        }
        return mac;
    }

    public static void write(long mac, byte[] into, int offset) {
        for (int i = 5; i >= 0; i--) {
            into[offset + i] = (byte) mac;
            mac >>>= 8;
        }
    }

    /** Group (multicast or broadcast) bit set. */
    public static boolean isGroup(long mac) {
        return (mac & 0x0100_0000_0000L) != 0;
    }

    public static long parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length != 6) {
            throw new IllegalArgumentException("not a MAC address: " + text);
        }
        long mac = 0;
        for (String part : parts) {
            if (part.length() != 2) {
                throw new IllegalArgumentException("not a MAC address: " + text);
            }
            mac = (mac << 8) | Integer.parseInt(part, 16);
        }
        return mac;
    }

    public static String toString(long mac) {
        if (mac == ANY) {
            return "*";
        }
        StringBuilder text = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            int b = (int) (mac >>> shift) & 0xff;
            text.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xf, 16));
            if (shift > 0) {
                text.append(':');
            }
        }
        return text.toString();
    }

    static String ipv4(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "."
                + (address & 0xff);
    }
}
