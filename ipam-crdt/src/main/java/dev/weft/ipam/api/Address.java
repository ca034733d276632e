package dev.weft.ipam.api;

/**
 * An IPv4 address, held as an unsigned 32-bit value in a {@code long} (0 to 2^32-1).
 *
 * <p>Immutable and thread-safe.
 *
 * @param value the address as an unsigned number, e.g. 10.32.0.1 = 0x0A200001
 */
public record Address(long value) implements Comparable<Address> {

    /** One past the largest IPv4 address. */
    public static final long LIMIT = 1L << 32;

    public Address {
        if (value < 0 || value >= LIMIT) {
            throw new IllegalArgumentException("not an IPv4 address value: " + value);
        }
    }

    /**
     * Parses dotted-quad text ({@code "10.32.0.1"}); no leading zeros, no surrounding spaces.
     *
     * @throws IpamException of kind {@link IpamException.Kind#BAD_REQUEST} with a message naming the text
     */
    public static Address parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 15) {
            throw IpamException.badRequest("not an IPv4 address: \"" + clip(text) + "\"");
        }
        long v = 0;
        int parts = 0;
        int i = 0;
        while (i <= text.length()) {
            int start = i;
            while (i < text.length() && text.charAt(i) != '.') {
                char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    throw IpamException.badRequest("not an IPv4 address: \"" + clip(text) + "\"");
                }
                i++;
            }
            int len = i - start;
            if (len == 0 || len > 3 || (len > 1 && text.charAt(start) == '0')) {
                throw IpamException.badRequest("not an IPv4 address: \"" + clip(text) + "\"");
            }
            int octet = Integer.parseInt(text, start, i, 10);
            if (octet > 255) {
                throw IpamException.badRequest("not an IPv4 address: \"" + clip(text) + "\" (octet " + octet + ")");
            }
            v = (v << 8) | octet;
            parts++;
            i++; // skip the dot (or step past the end)
        }
        if (parts != 4) {
            throw IpamException.badRequest("not an IPv4 address: \"" + clip(text) + "\"");
        }
        return new Address(v);
    }

    /** The address {@code delta} further on; throws if that leaves IPv4. */
    public Address plus(long delta) {
        return new Address(value + delta);
    }

    @Override
    public int compareTo(Address o) {
        return Long.compare(value, o.value);
    }

    @Override
    public String toString() {
        return format(value);
    }

    /** Dotted-quad text of an unsigned 32-bit value. */
    public static String format(long v) {
        return ((v >>> 24) & 0xff) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff) + "." + (v & 0xff);
    }

    static String clip(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
