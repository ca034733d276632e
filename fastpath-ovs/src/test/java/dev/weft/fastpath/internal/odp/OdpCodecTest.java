package dev.weft.fastpath.internal.odp;

import static dev.weft.fastpath.internal.odp.OdpUapi.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.fastpath.api.Vni;
import dev.weft.linux.api.MalformedMessageException;
import dev.weft.linux.api.MessageWriter;
import dev.weft.linux.api.NetlinkMessage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Decoding what the kernel sends: round trips, unknown attributes, malformed replies, fuzz. */
class OdpCodecTest {
    private static final int DP = 7;
    private static final OdpTunnelKey TUNNEL = new OdpTunnelKey(Vni.of(2, 1), 0x0a630002, 0x0a630001, 64);

    @Test
    void aFlowReplyWithKeyMaskActionsStatsAndUnknownAttributesDecodes() {
        OdpFlowKey key = new OdpFlowKey(3, 0x0200_0000_000aL, Mac.ANY, TUNNEL);
        List<OdpAction> actions = List.of(
                new OdpAction.SetTunnel(OdpTunnelKey.toPeer(Vni.of(1, 2), 0x0a630001, 0x0a630002)),
                new OdpAction.Output(1),
                new OdpAction.PopVlan());
        MessageWriter w = reply(CMD_NEW);
        key.write(w);
        OdpAction.writeAll(w, FLOW_ATTR_ACTIONS, actions);
        w.attrBytes(FLOW_ATTR_STATS, stats(5, 300));
        w.attrU64(FLOW_ATTR_USED, 123456);
        w.attrBytes(10, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}); // UFID
        w.attrU32(55, 99); // a type from a future kernel

        OdpFlow flow = OdpCodec.decodeFlow(message(w));

        assertThat(flow.key()).isEqualTo(key);
        assertThat(flow.actions()).isEqualTo(actions);
        assertThat(flow.packets()).isEqualTo(5);
        assertThat(flow.bytes()).isEqualTo(300);
        assertThat(flow.usedMillis()).isEqualTo(123456);
    }

    @Test
    void unknownActionsAreKeptAsUnknown() {
        MessageWriter w = reply(CMD_NEW);
        OdpFlowKey.of(1, 1, 2).write(w);
        int nest = w.beginNested(FLOW_ATTR_ACTIONS);
        w.attrU32(ACTION_ATTR_OUTPUT, 4);
        w.attrU32(25, 0); // OVS_ACTION_ATTR_DEC_TTL's neighbourhood: not ours
        w.endNested(nest);

        assertThat(OdpCodec.decodeFlow(message(w)).actions())
                .containsExactly(new OdpAction.Output(4), new OdpAction.Unknown(25));
    }

    @Test
    void aMissCarriesTheFrameAndTheKernelsKey() {
        MessageWriter w = OdpCodec.begin(new MessageWriter(256), 35, PACKET_CMD_MISS, PACKET_VERSION, DP);
        byte[] frame = new byte[42];
        frame[0] = (byte) 0xff;
        w.attrBytes(PACKET_ATTR_PACKET, frame);
        int key = w.beginNested(PACKET_ATTR_KEY);
        w.attrU32(KEY_ATTR_PRIORITY, 0);
        w.attrU32(KEY_ATTR_IN_PORT, 2);
        w.attrU32(KEY_ATTR_SKB_MARK, 0);
        w.attrBytes(KEY_ATTR_ETHERNET, new byte[] {2, 0, 0, 0, 0, 1, -1, -1, -1, -1, -1, -1});
        w.attrU16(KEY_ATTR_ETHERTYPE, 0x0608);
        w.endNested(key);

        OdpMiss miss = OdpCodec.decodeMiss(message(w));

        assertThat(miss.datapathIfindex()).isEqualTo(DP);
        assertThat(miss.frame()).isEqualTo(frame);
        assertThat(miss.key()).isEqualTo(OdpFlowKey.of(2, 0x0200_0000_0001L, Mac.BROADCAST));
    }

    @Test
    void datapathStatsDecodeAndTheirAbsenceIsZero() {
        MessageWriter w = reply(CMD_NEW);
        w.attrString(DP_ATTR_NAME, "weft-dp");
        w.attrBytes(
                DP_ATTR_STATS,
                ByteBuffer.allocate(DP_STATS_SIZE)
                        .order(ByteOrder.nativeOrder())
                        .putLong(1000)
                        .putLong(12)
                        .putLong(3)
                        .putLong(6)
                        .array());
        w.attrU32(99, 1); // a type from a future kernel

        assertThat(OdpCodec.decodeDatapathStats(message(w))).isEqualTo(new OdpDatapathStats(1000, 12, 3, 6));

        MessageWriter none = reply(CMD_NEW);
        none.attrString(DP_ATTR_NAME, "weft-dp");
        assertThat(OdpCodec.decodeDatapathStats(message(none))).isEqualTo(OdpDatapathStats.NONE);
    }

    @Test
    void otherPacketCommandsAreNotMisses() {
        MessageWriter w = OdpCodec.begin(new MessageWriter(64), 35, PACKET_CMD_ACTION, PACKET_VERSION, DP);
        assertThat(OdpCodec.decodeMiss(message(w))).isNull();
    }

    @Test
    void malformedRepliesAreRejectedWithAClearError() {
        MessageWriter shortEthernet = reply(CMD_NEW);
        int key = shortEthernet.beginNested(FLOW_ATTR_KEY);
        shortEthernet.attrBytes(KEY_ATTR_ETHERNET, new byte[6]);
        shortEthernet.endNested(key);
        assertThatThrownBy(() -> OdpCodec.decodeFlow(message(shortEthernet)))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("12");

        MessageWriter badStats = reply(CMD_NEW);
        OdpFlowKey.of(1, 1, 2).write(badStats);
        badStats.attrBytes(FLOW_ATTR_STATS, new byte[8]);
        assertThatThrownBy(() -> OdpCodec.decodeFlow(message(badStats)))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("stats");

        MessageWriter shortDpStats = reply(CMD_NEW);
        shortDpStats.attrBytes(DP_ATTR_STATS, new byte[24]);
        assertThatThrownBy(() -> OdpCodec.decodeDatapathStats(message(shortDpStats)))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("datapath stats");

        MessageWriter noKey = reply(CMD_NEW);
        assertThatThrownBy(() -> OdpCodec.decodeFlow(message(noKey)))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("missing");

        MessageWriter headerOnly =
                new MessageWriter(64).begin(34, 0).putU8(CMD_NEW).putU8(1).putU16(0);
        assertThatThrownBy(() -> OdpCodec.decodeVport(message(headerOnly)))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("ovs headers");
    }

    @Test
    void anAttributeRunningPastItsContainerIsRejected() {
        MessageWriter w = reply(CMD_NEW);
        w.putU16(200).putU16(FLOW_ATTR_KEY).putU32(0); // claims 200 bytes, has 4
        assertThatThrownBy(() -> OdpCodec.decodeFlow(message(w))).isInstanceOf(MalformedMessageException.class);
    }

    /** Whatever bytes follow the headers, decoding either works or says the message is malformed. */
    @Property(tries = 2000)
    void decodersNeverFailOtherwiseOnArbitraryAttributes(@ForAll @Size(max = 300) byte[] body) {
        for (int command : new int[] {CMD_NEW, PACKET_CMD_MISS}) {
            MessageWriter w = reply(command).putBytes(body);
            NetlinkMessage m = message(w);
            for (Runnable decode : List.<Runnable>of(
                    () -> OdpCodec.decodeFlow(m),
                    () -> OdpCodec.decodeVport(m),
                    () -> OdpCodec.decodeDatapath(m),
                    () -> OdpCodec.decodeDatapathStats(m),
                    () -> OdpCodec.decodeMiss(m))) {
                try {
                    decode.run();
                } catch (MalformedMessageException expected) {
                    // the only acceptable failure
                }
            }
        }
    }

    /** Fuzzes inside a well-formed flow key: random nested key attributes. */
    @Property(tries = 1000)
    void randomKeyAttributesNeverCrashTheKeyDecoder(@ForAll @Size(max = 120) byte[] inner, @ForAll byte type) {
        MessageWriter w = reply(CMD_NEW);
        int key = w.beginNested(FLOW_ATTR_KEY);
        w.attrBytes(type & 0x1f, inner);
        w.endNested(key);
        try {
            OdpCodec.decodeFlow(message(w));
        } catch (MalformedMessageException expected) {
            // fine
        }
    }

    private static MessageWriter reply(int command) {
        return OdpCodec.begin(new MessageWriter(512), 34, command, FLOW_VERSION, DP);
    }

    private static NetlinkMessage message(MessageWriter w) {
        ByteBuffer b = w.finish();
        ByteBuffer copy = ByteBuffer.allocate(b.remaining()).order(ByteOrder.nativeOrder());
        copy.put(b).flip();
        return NetlinkMessage.at(copy, 0, copy.limit());
    }

    private static byte[] stats(long packets, long bytes) {
        return ByteBuffer.allocate(16)
                .order(ByteOrder.nativeOrder())
                .putLong(packets)
                .putLong(bytes)
                .array();
    }
}
