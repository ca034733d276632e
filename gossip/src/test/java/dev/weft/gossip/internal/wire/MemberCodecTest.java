package dev.weft.gossip.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.api.PeerUid;
import dev.weft.gossip.spi.Membership;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Membership metadata: layout, round trips, the seen host, malformed input. */
class MemberCodecTest {

    private static void rejects(String hex, String reason) {
        byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
        assertThatThrownBy(() -> MemberCodec.decode(b, "10.0.0.9"))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void layoutAndRoundTrip() {
        Membership.Member m = new Membership.Member(
                PeerName.of(0x010203040506L), new PeerUid(7), "n", new InetSocketAddress("10.1.2.3", 6783));
        byte[] b = MemberCodec.encode(m);
        assertThat(HexFormat.of().formatHex(b))
                .isEqualTo(
                        "01" + "010203040506" + "0000000000000007" + "1a7f" + "08" + "31302e312e322e33" + "01" + "6e");
        assertThat(MemberCodec.decode(b, "192.168.0.1")).isEqualTo(m);
    }

    @Test
    void aWildcardMeshAddressTakesTheHostMembershipSees() {
        Membership.Member m =
                new Membership.Member(PeerName.of(5), new PeerUid(6), "", new InetSocketAddress("0.0.0.0", 6783));
        Membership.Member d = MemberCodec.decode(MemberCodec.encode(m), "10.0.0.9");
        assertThat(d.meshAddress()).isEqualTo(new InetSocketAddress("10.0.0.9", 6783));
        assertThatThrownBy(() -> MemberCodec.decode(MemberCodec.encode(m), null))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("without a host");
    }

    @Test
    void malformedMetadataIsRejected() {
        rejects("", "truncated member metadata");
        rejects("02 000000000001 0000000000000001 1a7f 00 00", "unknown member metadata format 2");
        rejects("01 000000000000 0000000000000001 1a7f 00 00", "reserved name");
        rejects("01 000000000001 0000000000000000 1a7f 00 00", "UID 0");
        rejects("01 000000000001 0000000000000001 0000 00 00", "mesh port 0");
        rejects("01 000000000001 0000000000000001 1a7f 2e", "exceeds 45");
        rejects("01 000000000001 0000000000000001 1a7f 05 3130", "truncated member metadata");
        rejects("01 000000000001 0000000000000001 1a7f 04 6576696c 00", "not an IP literal");
        rejects("01 000000000001 0000000000000001 1a7f 03 3a3a3a 00", "not an IP literal");
        rejects("01 000000000001 0000000000000001 1a7f 00 05 6e", "truncated member metadata");
        rejects("01 000000000001 0000000000000001 1a7f 00 00 ff", "1 trailing bytes");
    }
}
