package dev.weft.gossip.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.api.PeerUid;
import dev.weft.gossip.api.ShortId;
import dev.weft.gossip.spi.Hello;
import dev.weft.gossip.spi.MeshMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Message bodies: exact layouts (docs/protocol.md) and every kind of malformed input. */
class WireCodecTest {

    private static byte[] encode(Object m) {
        ByteBuf b = Unpooled.buffer();
        WireCodec.encode(m, b);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        b.release();
        return out;
    }

    private static Object decode(String hex) {
        return WireCodec.decode(Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex.replace(" ", ""))));
    }

    private static void rejects(String hex, String reason) {
        assertThatThrownBy(() -> decode(hex))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void layoutsMatchTheDocument() {
        assertThat(encode(Heartbeat.INSTANCE)).containsExactly(0);
        assertThat(HexFormat.of()
                        .formatHex(encode(new MeshMessage.Gossip("ab", PeerName.of(0x010203040506L), new byte[] {9}))))
                .isEqualTo("04" + "02" + "6162" + "010203040506" + "09");
        assertThat(HexFormat.of()
                        .formatHex(encode(new MeshMessage.Unicast("c", PeerName.of(1), PeerName.of(2), new byte[0]))))
                .isEqualTo("05" + "01" + "63" + "000000000001" + "000000000002");
        assertThat(HexFormat.of()
                        .formatHex(encode(new MeshMessage.Refusal(
                                MeshMessage.RefusalReason.NAME_COLLISION, "x", List.of("h:1")))))
                .isEqualTo("08" + "02" + "0001" + "78" + "01" + "03" + "683a31");
        Hello h = new Hello(PeerName.of(5), new PeerUid(6), "n", Optional.of(ShortId.of(7)), 0, Map.of("k", "v"));
        assertThat(HexFormat.of().formatHex(encode(h)))
                .isEqualTo("01" + "000000000005" + "0000000000000006" + "0007" + "01" + "6e" + "01" + "01" + "6b"
                        + "0001" + "76");
        assertThat(decode(HexFormat.of().formatHex(encode(h)))).isEqualTo(h);
    }

    @Test
    void roundTripsEveryMessageType() {
        Object[] all = {
            Heartbeat.INSTANCE,
            new Hello(PeerName.of(5), new PeerUid(-1), "ünï", Optional.empty(), 0, Map.of("port", "6783")),
            new MeshMessage.Refusal(MeshMessage.RefusalReason.CONNECTION_LIMIT, "full", List.of("10.0.0.1:6783")),
        };
        for (Object m : all) {
            assertThat(WireCodec.decode(Unpooled.wrappedBuffer(encode(m)))).isEqualTo(m);
        }
        MeshMessage.Broadcast b = (MeshMessage.Broadcast) WireCodec.decode(
                Unpooled.wrappedBuffer(encode(new MeshMessage.Broadcast("t", PeerName.of(9), new byte[] {1, 2}))));
        assertThat(b.channel()).isEqualTo("t");
        assertThat(b.origin()).isEqualTo(PeerName.of(9));
        assertThat(b.payload()).containsExactly(1, 2);
        MeshMessage.OverlayControl o = (MeshMessage.OverlayControl)
                WireCodec.decode(Unpooled.wrappedBuffer(encode(new MeshMessage.OverlayControl(new byte[] {3}))));
        assertThat(o.payload()).containsExactly(3);
    }

    @Test
    void malformedBodiesAreRejectedWithTheirReason() {
        rejects("", "empty message");
        rejects("2a", "unknown message tag 42");
        rejects("02", "unknown message tag 2");
        rejects("00 00", "1 trailing bytes after message tag 0");
        rejects("04", "truncated message: channel name length");
        rejects("04 00", "channel name length 0 out of range");
        rejects("04 41", "channel name length 65 out of range");
        rejects("04 05 6162", "truncated message: channel name");
        rejects("04 02 6120 000000000001", "channel name is not printable US-ASCII");
        rejects("04 01 61 0000000001", "truncated message: peer name");
        rejects("04 01 61 000000000000", "reserved peer name");
        rejects("05 01 61 000000000001 0000", "truncated message: peer name");
        rejects("08 09 0000 00", "unknown refusal reason 9");
        rejects("08 00 0401", "refusal text of 1025 bytes exceeds 1024");
        rejects("08 00 0005 6162", "truncated message: refusal text");
        rejects("08 00 0000 11", "too many referrals: 17");
        rejects("08 00 0000 01 00", "referral length 0 out of range");
        rejects("08 00 0000 01 02 41", "truncated message: referral");
        rejects("08 00 0000 01 01 0a", "referral is not printable US-ASCII");
        rejects("01 000000000001 0000000000000000 ffff 00 00", "hello with UID 0");
        rejects("01 000000000001 0000000000000001 1000 00 00", "short ID out of range: 4096");
        rejects("01 000000000001 0000000000000001 ffff 05 6162", "truncated message: nickname");
        rejects("01 000000000001 0000000000000001 ffff 00", "truncated message: feature count");
        rejects("01 000000000001 0000000000000001 ffff 00 21", "too many features: 33");
        rejects("01 000000000001 0000000000000001 ffff 00 01 00", "feature key length 0 out of range");
        rejects("01 000000000001 0000000000000001 ffff 00 01 01 6b 0401", "feature value length 1025 exceeds 1024");
        rejects("01 000000000001 0000000000000001 ffff 00 02 01 6b 0000 01 6b 0000", "duplicate feature k");
        rejects("01 000000000001 0000000000000001 ffff 00 01 01 6b 0003 76", "truncated message: feature value");
    }

    @Test
    void oversizedHelloAndPayloadsAreRejected() {
        byte[] hello = new byte[WireCodec.MAX_HELLO + 1];
        hello[0] = WireCodec.TAG_HELLO;
        assertThatThrownBy(() -> WireCodec.decode(Unpooled.wrappedBuffer(hello)))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("hello of 4097 bytes exceeds 4096");
        byte[] control = new byte[1 + 64 * 1024 + 1];
        control[0] = WireCodec.TAG_OVERLAY_CONTROL;
        assertThatThrownBy(() -> WireCodec.decode(Unpooled.wrappedBuffer(control)))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("exceeds 65536");
    }

    @Test
    void theEncoderRefusesWhatTheDecoderWouldReject() {
        assertThatThrownBy(() -> encode(new MeshMessage.Gossip("has space", PeerName.of(1), new byte[0])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("printable US-ASCII");
        assertThatThrownBy(() -> encode(new MeshMessage.Gossip("", PeerName.of(1), new byte[0])))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MessageLimits.check(new MeshMessage.OverlayControl(new byte[64 * 1024 + 1])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exceeds 65536");
    }
}
