package dev.weft.ipam.api;

/**
 * An IPv4 address with a prefix length, e.g. {@code 10.32.0.5/12}: either a subnet (address = its
 * first address) or an allocated address together with the prefix length of its subnet.
 *
 * <p>Immutable and thread-safe.
 *
 * @param address the address
 * @param prefixLength 0 to 32
 */
public record Cidr(Address address, int prefixLength) implements Comparable<Cidr> {

    public Cidr {
        if (address == null) {
            throw new IllegalArgumentException("address is null");
        }
        if (prefixLength < 0 || prefixLength > 32) {
            throw IpamException.badRequest("prefix length must be 0 to 32, got " + prefixLength);
        }
    }

    /**
     * Parses {@code a.b.c.d/len}.
     *
     * @throws IpamException of kind {@link IpamException.Kind#BAD_REQUEST} naming what is wrong
     */
    public static Cidr parse(String text) {
        if (text == null) {
            throw IpamException.badRequest("not a CIDR: null");
        }
        int slash = text.indexOf('/');
        if (slash < 0 || slash != text.lastIndexOf('/')) {
            throw IpamException.badRequest("not a CIDR (want a.b.c.d/len): \"" + Address.clip(text) + "\"");
        }
        return new Cidr(Address.parse(text.substring(0, slash)), parsePrefix(text.substring(slash + 1)));
    }

    /** Parses a prefix length given on its own ("12"). */
    public static int parsePrefix(String text) {
        if (text.isEmpty() || text.length() > 2 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw IpamException.badRequest(
                    "prefix length must be a number 0 to 32, got \"" + Address.clip(text) + "\"");
        }
        int len = Integer.parseInt(text);
        if (len > 32) {
            throw IpamException.badRequest("prefix length must be 0 to 32, got " + len);
        }
        return len;
    }

    /** Parses {@code a.b.c.d/len} and requires it to name a subnet (no host bits set). */
    public static Cidr parseSubnet(String text) {
        Cidr c = parse(text);
        if (!c.isSubnet()) {
            throw IpamException.badRequest(
                    "\"" + text + "\" is not a subnet: host bits are set (did you mean " + c.subnet() + "?)");
        }
        return c;
    }

    /** Number of addresses in the subnet (2^(32-len)). */
    public long size() {
        return 1L << (32 - prefixLength);
    }

    /** First address of the subnet as an unsigned value. */
    public long start() {
        return address.value() & ~(size() - 1) & 0xffffffffL;
    }

    /** One past the last address of the subnet (may be 2^32). */
    public long end() {
        return start() + size();
    }

    /** The subnet this address lies in (host bits cleared). */
    public Cidr subnet() {
        return new Cidr(new Address(start()), prefixLength);
    }

    /** True when no host bits are set. */
    public boolean isSubnet() {
        return address.value() == start();
    }

    /**
     * The addresses hosts may use: without the network and broadcast addresses when the subnet has
     * more than 2 addresses (as Weave and host-local do), all of them for /31 and /32.
     */
    public long hostStart() {
        return size() > 2 ? start() + 1 : start();
    }

    /** One past the last usable host address; see {@link #hostStart()}. */
    public long hostEnd() {
        return size() > 2 ? end() - 1 : end();
    }

    /** True when the address lies in this subnet. */
    public boolean contains(long addr) {
        return addr >= start() && addr < end();
    }

    /** True when the whole of {@code other} lies in this subnet. */
    public boolean contains(Cidr other) {
        return other.start() >= start() && other.end() <= end();
    }

    @Override
    public int compareTo(Cidr o) {
        int c = address.compareTo(o.address);
        return c != 0 ? c : Integer.compare(prefixLength, o.prefixLength);
    }

    @Override
    public String toString() {
        return address + "/" + prefixLength;
    }
}
