package dev.weft.sleeve.internal.engine;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 address and UDP port packed into one long ({@code ip << 16 | port}), so the data plane
 * can compare and store remote addresses without objects. 0 means "unknown".
 */
public final class UdpAddress {
    public static final long UNKNOWN = 0;

    private UdpAddress() {}

    public static long of(int ipv4, int port) {
        return ((ipv4 & 0xffffffffL) << 16) | (port & 0xffff);
    }

    public static long of(InetSocketAddress a) {
        if (!(a.getAddress() instanceof Inet4Address v4)) {
            throw new IllegalArgumentException("the sleeve underlay is IPv4 only, got " + a);
        }
        byte[] b = v4.getAddress();
        int ip = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        return of(ip, a.getPort());
    }

    public static int ip(long packed) {
        return (int) (packed >>> 16);
    }

    public static int port(long packed) {
        return (int) (packed & 0xffff);
    }

    public static InetSocketAddress toSocketAddress(long packed) {
        int ip = ip(packed);
        byte[] b = {(byte) (ip >>> 24), (byte) (ip >>> 16), (byte) (ip >>> 8), (byte) ip};
        try {
            return new InetSocketAddress(InetAddress.getByAddress(b), port(packed));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are always an address", e);
        }
    }

    public static String toString(long packed) {
        int ip = ip(packed);
        return (ip >>> 24) + "." + ((ip >>> 16) & 0xff) + "." + ((ip >>> 8) & 0xff) + "." + (ip & 0xff) + ":"
                + port(packed);
    }
}
