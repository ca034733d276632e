package dev.weft.fastpath.internal.odp;

import static dev.weft.fastpath.internal.odp.OdpUapi.*;

import dev.weft.linux.api.MalformedMessageException;
import dev.weft.linux.api.MessageWriter;
import dev.weft.linux.api.NetlinkMessage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Encodes ODP requests and decodes the kernel's replies. Every OVS message is the netlink header,
 * a 4-byte {@code genlmsghdr} (command, version, reserved), a 4-byte {@code ovs_header}
 * (datapath ifindex) and attributes. Decoders copy what they keep out of the message (which is a
 * view into a reused receive buffer), skip attributes they do not know, and throw {@link
 * MalformedMessageException} for anything malformed. Stateless; any thread.
 */
public final class OdpCodec {
    private OdpCodec() {}

    /** genlmsghdr + ovs_header. */
    static final int FIXED_HEADER = 4 + OVS_HEADER_SIZE;

    /** Starts a request: netlink header, genl header, ovs_header. Attributes follow. */
    public static MessageWriter begin(MessageWriter writer, int family, int command, int version, int dpIfindex) {
        return writer.begin(family, 0).putU8(command).putU8(version).putU16(0).putU32(dpIfindex);
    }

    /** The command byte of the genl header. */
    public static int command(NetlinkMessage message) {
        return message.u8(0);
    }

    /** The datapath ifindex of the ovs_header. */
    public static int datapathIfindex(NetlinkMessage message) {
        return message.u32(4);
    }

    /** The attributes after the ovs_header, indexed by type. */
    public static NlAttributes attributes(NetlinkMessage message) {
        if (message.payloadLength() < FIXED_HEADER) {
            throw new MalformedMessageException("ODP message of " + message.payloadLength()
                    + " bytes is shorter than its genl and ovs headers (" + FIXED_HEADER + ")");
        }
        ByteBuffer buffer = message.buffer()
                .slice(message.payloadOffset() + FIXED_HEADER, message.payloadLength() - FIXED_HEADER)
                .order(ByteOrder.nativeOrder());
        return NlAttributes.parse(buffer);
    }

    public static OdpDatapath decodeDatapath(NetlinkMessage message) {
        NlAttributes attributes = attributes(message);
        return new OdpDatapath(datapathIfindex(message), attributes.string(DP_ATTR_NAME));
    }

    /** The datapath's counters ({@link OdpDatapathStats#NONE} if the reply carries none). */
    public static OdpDatapathStats decodeDatapathStats(NetlinkMessage message) {
        NlAttributes attributes = attributes(message);
        if (!attributes.has(DP_ATTR_STATS)) {
            return OdpDatapathStats.NONE;
        }
        ByteBuffer stats = attributes.bytes(DP_ATTR_STATS);
        if (stats.remaining() != DP_STATS_SIZE) {
            throw new MalformedMessageException(
                    "datapath stats of " + stats.remaining() + " bytes, expected " + DP_STATS_SIZE);
        }
        return new OdpDatapathStats(stats.getLong(0), stats.getLong(8), stats.getLong(16), stats.getLong(24));
    }

    public static OdpVport decodeVport(NetlinkMessage message) {
        NlAttributes attributes = attributes(message);
        int udpPort = 0;
        if (attributes.has(VPORT_ATTR_OPTIONS)) {
            NlAttributes options = attributes.nested(VPORT_ATTR_OPTIONS);
            if (options.has(TUNNEL_ATTR_DST_PORT)) {
                udpPort = options.u16(TUNNEL_ATTR_DST_PORT);
            }
        }
        return new OdpVport(
                datapathIfindex(message),
                attributes.u32(VPORT_ATTR_PORT_NO),
                attributes.u32(VPORT_ATTR_TYPE),
                attributes.string(VPORT_ATTR_NAME),
                udpPort);
    }

    public static OdpFlow decodeFlow(NetlinkMessage message) {
        NlAttributes attributes = attributes(message);
        NlAttributes mask = attributes.has(FLOW_ATTR_MASK) ? attributes.nested(FLOW_ATTR_MASK) : null;
        OdpFlowKey key = OdpFlowKey.read(attributes.nested(FLOW_ATTR_KEY), mask);
        List<OdpAction> actions =
                attributes.has(FLOW_ATTR_ACTIONS) ? OdpAction.readAll(attributes.bytes(FLOW_ATTR_ACTIONS)) : List.of();
        long packets = 0;
        long bytes = 0;
        if (attributes.has(FLOW_ATTR_STATS)) {
            ByteBuffer stats = attributes.bytes(FLOW_ATTR_STATS);
            if (stats.remaining() != FLOW_STATS_SIZE) {
                throw new MalformedMessageException(
                        "flow stats of " + stats.remaining() + " bytes, expected " + FLOW_STATS_SIZE);
            }
            packets = stats.getLong(0);
            bytes = stats.getLong(8);
        }
        long used = attributes.has(FLOW_ATTR_USED) ? attributes.u64(FLOW_ATTR_USED) : 0;
        return new OdpFlow(key, actions, packets, bytes, used);
    }

    /** Decodes an {@code OVS_PACKET_CMD_MISS}; null for other packet commands (not ours to handle). */
    public static OdpMiss decodeMiss(NetlinkMessage message) {
        if (message.payloadLength() < FIXED_HEADER) {
            throw new MalformedMessageException("upcall of " + message.payloadLength() + " bytes");
        }
        if (command(message) != PACKET_CMD_MISS) {
            return null;
        }
        NlAttributes attributes = attributes(message);
        ByteBuffer packet = attributes.bytes(PACKET_ATTR_PACKET);
        byte[] frame = new byte[packet.remaining()];
        packet.get(frame);
        OdpFlowKey key = OdpFlowKey.read(attributes.nested(PACKET_ATTR_KEY), null);
        return new OdpMiss(datapathIfindex(message), frame, key);
    }
}
