package dev.weft.linux.api;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IP address with a prefix length, as on an interface ({@code 10.32.0.1/12}) or as a route
 * destination ({@code 10.32.0.0/12}). The address keeps its host bits: {@link #network()} clears
 * them. Immutable.
 */
public record IpPrefix(InetAddress address, int length) {
    public IpPrefix {
        int max = address instanceof Inet4Address ? 32 : 128;
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("prefix length " + length + " out of range [0, " + max + "]");
        }
    }

    /** Parses {@code "10.0.0.1/24"} or {@code "fd00::1/64"}; a bare address gets the full length. */
    public static IpPrefix parse(String text) {
        int slash = text.indexOf('/');
        String addr = slash < 0 ? text : text.substring(0, slash);
        if (addr.isEmpty()
                || !(addr.indexOf(':') >= 0 || addr.chars().allMatch(c -> c == '.' || Character.isDigit(c)))) {
            throw new IllegalArgumentException("not an IP prefix: \"" + text + "\"");
        }
        InetAddress a;
        try {
            a = InetAddress.getByName(addr); // a literal: never a DNS lookup after the check above
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP prefix: \"" + text + "\"", e);
        }
        int len;
        try {
            len = slash < 0 ? a.getAddress().length * 8 : Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an IP prefix: \"" + text + "\"", e);
        }
        return new IpPrefix(a, len);
    }

    /** The same prefix with the host bits cleared. */
    public IpPrefix network() {
        byte[] b = address.getAddress();
        for (int i = 0; i < b.length; i++) {
            int keep = Math.max(0, Math.min(8, length - 8 * i));
            b[i] &= (byte) (0xff << (8 - keep));
        }
        try {
            return new IpPrefix(InetAddress.getByAddress(b), length);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** AF_INET (2) or AF_INET6 (10). */
    public int family() {
        return address instanceof Inet4Address ? 2 : 10;
    }

    public boolean isIpv4() {
        return address instanceof Inet4Address;
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + length;
    }
}
