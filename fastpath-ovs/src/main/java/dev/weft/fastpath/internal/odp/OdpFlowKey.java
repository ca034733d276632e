package dev.weft.fastpath.internal.odp;

import static dev.weft.fastpath.internal.odp.OdpUapi.*;

import dev.weft.linux.api.MalformedMessageException;
import dev.weft.linux.api.MessageWriter;

/**
 * What a Weft flow matches on: ingress vport, Ethernet source and destination, and for frames
 * that arrived through a VXLAN vport the tunnel (id, outer addresses). Everything else is
 * wildcarded by the mask (a megaflow). {@link #ANY_PORT} and {@link Mac#ANY} wildcard a field.
 * The Ethernet key is always sent, wildcarded if unused: the kernel requires it in every flow.
 */
public record OdpFlowKey(int inPort, long ethSrc, long ethDst, OdpTunnelKey tunnel) {

    public static final int ANY_PORT = -1;

    public static OdpFlowKey of(int inPort, long ethSrc, long ethDst) {
        return new OdpFlowKey(inPort, ethSrc, ethDst, null);
    }

    /** Writes {@code OVS_FLOW_ATTR_KEY} and {@code OVS_FLOW_ATTR_MASK}. */
    void write(MessageWriter writer) {
        writeKeys(writer, FLOW_ATTR_KEY, false);
        writeKeys(writer, FLOW_ATTR_MASK, true);
    }

    /** Writes just the exact key under {@code type} (for a flow delete or get). */
    void writeKeys(MessageWriter writer, int type, boolean mask) {
        int nest = writer.beginNested(type);
        if (inPort != ANY_PORT) {
            writer.attrU32(KEY_ATTR_IN_PORT, mask ? -1 : inPort);
        }
        byte[] ethernet = new byte[KEY_ETHERNET_SIZE];
        writeMac(ethSrc, mask, ethernet, 0);
        writeMac(ethDst, mask, ethernet, 6);
        writer.attrBytes(KEY_ATTR_ETHERNET, ethernet);
        if (tunnel != null) {
            tunnel.writeMatch(writer, mask);
        }
        writer.endNested(nest);
    }

    private static void writeMac(long mac, boolean mask, byte[] into, int offset) {
        if (mac == Mac.ANY) {
            return; // zero: the key's value is irrelevant, the mask's zero wildcards it
        }
        Mac.write(mask ? Mac.BROADCAST : mac, into, offset);
    }

    /**
     * Reads a key the kernel sent (a miss's {@code OVS_PACKET_ATTR_KEY}, or a dumped flow's key with
     * its mask, which may be null for an exact-match flow). Unknown key attributes are ignored.
     */
    static OdpFlowKey read(NlAttributes key, NlAttributes mask) {
        int inPort = ANY_PORT;
        if (key.has(KEY_ATTR_IN_PORT)
                && (mask == null || (mask.has(KEY_ATTR_IN_PORT) && mask.u32(KEY_ATTR_IN_PORT) != 0))) {
            inPort = key.u32(KEY_ATTR_IN_PORT);
        }
        long src = Mac.ANY;
        long dst = Mac.ANY;
        if (key.has(KEY_ATTR_ETHERNET)) {
            byte[] ethernet = new byte[KEY_ETHERNET_SIZE];
            key.copy(KEY_ATTR_ETHERNET, 0, ethernet);
            byte[] ethMask = new byte[KEY_ETHERNET_SIZE];
            if (mask == null) {
                java.util.Arrays.fill(ethMask, (byte) 0xff);
            } else if (mask.has(KEY_ATTR_ETHERNET)) {
                mask.copy(KEY_ATTR_ETHERNET, 0, ethMask);
            }
            if (key.length(KEY_ATTR_ETHERNET) != KEY_ETHERNET_SIZE) {
                throw new MalformedMessageException(
                        "ethernet key of " + key.length(KEY_ATTR_ETHERNET) + " bytes, expected " + KEY_ETHERNET_SIZE);
            }
            src = Mac.read(ethMask, 0) == 0 ? Mac.ANY : Mac.read(ethernet, 0);
            dst = Mac.read(ethMask, 6) == 0 ? Mac.ANY : Mac.read(ethernet, 6);
        }
        OdpTunnelKey tunnel = null;
        if (key.has(KEY_ATTR_TUNNEL) && (mask == null || mask.has(KEY_ATTR_TUNNEL))) {
            tunnel = OdpTunnelKey.read(key.nested(KEY_ATTR_TUNNEL));
        }
        return new OdpFlowKey(inPort, src, dst, tunnel);
    }

    @Override
    public String toString() {
        return "in_port(" + (inPort == ANY_PORT ? "*" : Integer.toString(inPort)) + "),eth(src=" + Mac.toString(ethSrc)
                + ",dst=" + Mac.toString(ethDst) + ")" + (tunnel == null ? "" : "," + tunnel);
    }
}
