package dev.weft.fastpath.internal.odp;

import static dev.weft.fastpath.internal.odp.OdpUapi.*;

import dev.weft.linux.api.MessageWriter;

/**
 * The outer header of a VXLAN-carried frame as the datapath sees it ({@code OVS_KEY_ATTR_TUNNEL},
 * nested {@code OVS_TUNNEL_KEY_ATTR_*}): tunnel id (the VNI), outer IPv4 source and destination
 * (as ints, big-endian order of bytes), TTL. In a flow match id, source and destination are exact
 * and the TTL is present (the kernel requires it) but wildcarded; in a set-tunnel action the TTL is
 * the one to send with and the don't-fragment bit is set.
 */
public record OdpTunnelKey(long id, int ipv4Src, int ipv4Dst, int ttl) {

    /** TTL of tunnelled packets we send, as Weave does. */
    public static final int DEFAULT_TTL = 64;

    public OdpTunnelKey {
        if (ttl < 0 || ttl > 255) {
            throw new IllegalArgumentException("TTL out of range: " + ttl);
        }
    }

    /** The key to send a frame to {@code ipv4Dst} from {@code ipv4Src} with VNI {@code id}. */
    public static OdpTunnelKey toPeer(long id, int ipv4Src, int ipv4Dst) {
        return new OdpTunnelKey(id, ipv4Src, ipv4Dst, DEFAULT_TTL);
    }

    /** Writes the nested tunnel attributes of a flow key ({@code mask == false}) or its mask. */
    void writeMatch(MessageWriter writer, boolean mask) {
        int nest = writer.beginNested(KEY_ATTR_TUNNEL);
        writer.attrU64(TUNNEL_KEY_ATTR_ID, Long.reverseBytes(mask ? -1L : id));
        writer.attrU32Be(TUNNEL_KEY_ATTR_IPV4_SRC, mask ? -1 : ipv4Src);
        writer.attrU32Be(TUNNEL_KEY_ATTR_IPV4_DST, mask ? -1 : ipv4Dst);
        writer.attrU8(TUNNEL_KEY_ATTR_TTL, mask ? 0 : ttl);
        writer.endNested(nest);
    }

    /** Writes the {@code OVS_KEY_ATTR_TUNNEL} of a set action: DF set, no UDP checksum. */
    void writeSet(MessageWriter writer) {
        int nest = writer.beginNested(KEY_ATTR_TUNNEL);
        writer.attrU64(TUNNEL_KEY_ATTR_ID, Long.reverseBytes(id)); // __be64 (x86: little-endian host)
        writer.attrU32Be(TUNNEL_KEY_ATTR_IPV4_SRC, ipv4Src);
        writer.attrU32Be(TUNNEL_KEY_ATTR_IPV4_DST, ipv4Dst);
        writer.attrU8(TUNNEL_KEY_ATTR_TOS, 0);
        writer.attrU8(TUNNEL_KEY_ATTR_TTL, ttl);
        writer.attr(TUNNEL_KEY_ATTR_DONT_FRAGMENT);
        writer.endNested(nest);
    }

    /** Reads the nested tunnel attributes; absent fields read as 0. */
    static OdpTunnelKey read(NlAttributes tunnel) {
        long id = tunnel.has(TUNNEL_KEY_ATTR_ID) ? tunnel.be64(TUNNEL_KEY_ATTR_ID) : 0;
        int src = tunnel.has(TUNNEL_KEY_ATTR_IPV4_SRC) ? tunnel.be32(TUNNEL_KEY_ATTR_IPV4_SRC) : 0;
        int dst = tunnel.has(TUNNEL_KEY_ATTR_IPV4_DST) ? tunnel.be32(TUNNEL_KEY_ATTR_IPV4_DST) : 0;
        int ttl = tunnel.has(TUNNEL_KEY_ATTR_TTL) ? tunnel.u8(TUNNEL_KEY_ATTR_TTL) : 0;
        return new OdpTunnelKey(id, src, dst, ttl);
    }

    @Override
    public String toString() {
        return "tunnel(id=0x" + Long.toHexString(id) + ",src=" + Mac.ipv4(ipv4Src) + ",dst=" + Mac.ipv4(ipv4Dst)
                + ",ttl=" + ttl + ")";
    }
}
