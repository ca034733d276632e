package dev.weft.cni.internal.spec;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An address with a prefix length, as CNI writes them: {@code "10.32.0.5/12"} (an interface
 * address keeps its host bits) or {@code "0.0.0.0/0"} (a route destination).
 */
public record IpPrefix(InetAddress address, int length) {
    private static final Pattern V4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final Pattern V6 = Pattern.compile("[0-9a-fA-F:.]{2,45}");

    public IpPrefix {
        Objects.requireNonNull(address, "address");
        int max = address instanceof Inet4Address ? 32 : 128;
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("prefix length " + length + " out of range for " + address);
        }
    }

    /** Parses {@code "a.b.c.d/n"} or an IPv6 equivalent; a bare address gets a full-length prefix. */
    public static IpPrefix parse(String text) {
        int slash = text.indexOf('/');
        String addr = slash < 0 ? text : text.substring(0, slash);
        InetAddress address = parseAddress(addr);
        int max = address instanceof Inet4Address ? 32 : 128;
        int length = max;
        if (slash >= 0) {
            String len = text.substring(slash + 1);
            if (!len.matches("[0-9]{1,3}")) {
                throw new IllegalArgumentException("\"" + text + "\" has no valid prefix length");
            }
            length = Integer.parseInt(len);
            if (length > max) {
                throw new IllegalArgumentException("\"" + text + "\" has a prefix length over " + max);
            }
        }
        return new IpPrefix(address, length);
    }

    /** Parses a literal IPv4 or IPv6 address, never resolving a name. */
    public static InetAddress parseAddress(String text) {
        if (!V4.matcher(text).matches()
                && !(text.indexOf(':') >= 0 && V6.matcher(text).matches())) {
            throw new IllegalArgumentException("\"" + text + "\" is not an IP address");
        }
        try {
            return InetAddress.getByName(text); // a literal: no lookup happens
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not an IP address", e);
        }
    }

    /** True for an IPv4 prefix. */
    public boolean isV4() {
        return address instanceof Inet4Address;
    }

    /** The network: this prefix with the host bits cleared. */
    public IpPrefix network() {
        byte[] bytes = address.getAddress();
        for (int bit = length; bit < bytes.length * 8; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            return new IpPrefix(InetAddress.getByAddress(bytes), length);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** True when {@code other} lies inside this prefix's network (same family). */
    public boolean contains(InetAddress other) {
        if ((other instanceof Inet4Address) != isV4()) {
            return false;
        }
        return new IpPrefix(other, length).network().equals(network());
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + length;
    }
}
