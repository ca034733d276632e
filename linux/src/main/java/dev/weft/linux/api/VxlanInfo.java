package dev.weft.linux.api;

import java.net.InetAddress;

/**
 * The configuration of a VXLAN link as created ({@link LinkSpec#vxlan}) or read back.
 *
 * @param vni the 24-bit VXLAN network identifier
 * @param port destination UDP port (IANA 4789; Linux's default when unset is 8472)
 * @param local source address of encapsulated packets, or null for any
 * @param underlayIndex index of the link to send through ({@code dev} in iproute2), 0 for any
 * @param learning whether the device learns remote MACs from received packets
 * @param ttl IP TTL of encapsulated packets, 0 for inherit/default
 */
public record VxlanInfo(int vni, int port, InetAddress local, int underlayIndex, boolean learning, int ttl) {
    public VxlanInfo {
        if (vni < 0 || vni > 0xff_ffff) {
            throw new IllegalArgumentException("VNI " + vni + " out of range [0, 16777215]");
        }
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("UDP port " + port + " out of range");
        }
        if (ttl < 0 || ttl > 255) {
            throw new IllegalArgumentException("TTL " + ttl + " out of range [0, 255]");
        }
    }

    /** VNI {@code vni} on the IANA port 4789, no fixed local address or underlay, learning off. */
    public static VxlanInfo of(int vni) {
        return new VxlanInfo(vni, 4789, null, 0, false, 0);
    }

    public VxlanInfo withPort(int p) {
        return new VxlanInfo(vni, p, local, underlayIndex, learning, ttl);
    }

    public VxlanInfo withLocal(InetAddress a) {
        return new VxlanInfo(vni, port, a, underlayIndex, learning, ttl);
    }

    public VxlanInfo withUnderlay(int index) {
        return new VxlanInfo(vni, port, local, index, learning, ttl);
    }

    public VxlanInfo withLearning(boolean on) {
        return new VxlanInfo(vni, port, local, underlayIndex, on, ttl);
    }

    public VxlanInfo withTtl(int t) {
        return new VxlanInfo(vni, port, local, underlayIndex, learning, t);
    }
}
