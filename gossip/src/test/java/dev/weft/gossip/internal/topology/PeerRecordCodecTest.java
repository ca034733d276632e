package dev.weft.gossip.internal.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.gossip.api.ConnectionInfo;
import dev.weft.gossip.api.GossipException;
import dev.weft.gossip.api.PeerName;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Topology records: the documented layout, round trips and malformed input. */
class PeerRecordCodecTest {

    private static final String HEADER =
            "01" + "000000000001" + "0000000000000002" + "0000000000000003" + "ffff" + "00";

    private static void rejects(String hex, String reason) {
        byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
        assertThatThrownBy(() -> PeerRecordCodec.decode(b))
                .isInstanceOf(GossipException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void layoutMatchesTheDocument() {
        PeerRecord r = PeerRecordCodec.encode(
                PeerName.of(1),
                2,
                3,
                5,
                "a",
                List.of(new InetSocketAddress("10.0.0.1", 6783)),
                List.of(new ConnectionInfo(PeerName.of(9), new InetSocketAddress("10.0.0.9", 1000), true, true)));
        assertThat(HexFormat.of().formatHex(r.encoded()))
                .isEqualTo("01" + "000000000001" + "0000000000000002" + "0000000000000003" + "0005" + "01" + "61"
                        + "01" + "04" + "0a000001" + "1a7f"
                        + "0001" + "000000000009" + "03" + "04" + "0a000009" + "03e8");
    }

    @Test
    void roundTripsAllFields() {
        InetSocketAddress v6 = new InetSocketAddress("fd00::7", 6783);
        List<ConnectionInfo> cs = List.of(
                new ConnectionInfo(PeerName.of(2), v6, false, true),
                new ConnectionInfo(PeerName.of(3), null, true, false));
        PeerRecord r = PeerRecordCodec.encode(PeerName.of(1), -7, 99, -1, "nïck", List.of(v6), cs);
        PeerRecord d = PeerRecordCodec.decode(r.encoded());
        assertThat(d.name()).isEqualTo(PeerName.of(1));
        assertThat(d.uid()).isEqualTo(-7);
        assertThat(d.version()).isEqualTo(99);
        assertThat(d.shortId()).isEqualTo(-1);
        assertThat(d.nickname()).isEqualTo("nïck");
        assertThat(d.advertisedAddresses()).containsExactly(v6);
        assertThat(d.connections()).isEqualTo(cs);
    }

    @Test
    void malformedRecordsAreRejectedWithTheirReason() {
        rejects("", "truncated topology record at byte 0");
        rejects("02", "unknown topology record format 2");
        rejects("01 000000000000", "reserved name");
        rejects("01 000000000001 0000000000000000", "UID 0");
        rejects("01 000000000001 0000000000000002 0000000000000003 1000 00 00 0000", "short ID out of range: 4096");
        rejects("01 000000000001 0000000000000002 0000000000000003 ffff 03 61", "truncated topology record");
        rejects(HEADER + "09", "too many advertised addresses: 9");
        rejects(HEADER + "01 05", "unknown address family 5");
        rejects(HEADER + "01 04 0a00", "truncated topology record");
        rejects(HEADER + "00 1001", "too many connections in record: 4097");
        rejects(HEADER + "00 0001 000000000001 00 00", "a connection to itself");
        rejects(HEADER + "00 0001 000000000000 00 00", "a connection to the reserved name");
        rejects(HEADER + "00 0001 000000000002 04 00", "unknown connection flags 4");
        rejects(HEADER + "00 0002 000000000002 00 00", "truncated topology record");
        rejects(HEADER + "00 0000 00", "trailing bytes after topology record: 1");
    }

    @Test
    void theEncoderRefusesOversizedFields() {
        assertThatThrownBy(
                        () -> PeerRecordCodec.encode(PeerName.of(1), 1, 1, -1, "x".repeat(256), List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nickname");
    }
}
