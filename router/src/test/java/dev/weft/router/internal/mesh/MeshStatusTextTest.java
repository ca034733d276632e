package dev.weft.router.internal.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.gossip.api.MeshStatus;
import dev.weft.gossip.api.PeerName;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MeshStatusTextTest {

    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    static final PeerName P1 = new PeerName(0x0200_0000_0001L);
    static final PeerName P2 = new PeerName(0x0200_0000_0002L);

    static MeshStatus status() {
        var out = new MeshStatus.Connection(
                new InetSocketAddress("10.0.0.2", 6783),
                true,
                MeshStatus.ConnectionState.ESTABLISHED,
                P1,
                "n1",
                true,
                "sleeve mtu=1376",
                NOW);
        var in = new MeshStatus.Connection(
                new InetSocketAddress("10.0.0.3", 40000),
                false,
                MeshStatus.ConnectionState.PENDING,
                P2,
                "n2",
                false,
                "",
                NOW);
        return new MeshStatus(null, "weave", true, true, 0, List.of(out, in), List.of(), List.of(), null);
    }

    @Test
    void aConnectionLineCarriesItsRawOverlayTextWithoutOverlayDetails() {
        assertThat(MeshStatusText.connections(status(), NOW))
                .isEqualTo("-> 10.0.0.2:6783         established encrypted   " + P1 + "(n1) sleeve mtu=1376\n"
                        + "<- 10.0.0.3:40000        pending     unencrypted " + P2 + "(n2)");
    }

    @Test
    void overlayDetailsReplaceTheRawTextOnASecondLineOnlyForThePeersThatHaveThem() {
        Map<String, String> fastdp = new LinkedHashMap<>();
        fastdp.put("peer", P1.toString());
        fastdp.put("overlay", "fastdp");
        fastdp.put("why", "preferred, established");
        fastdp.put("mtu", "1410");
        assertThat(MeshStatusText.connections(status(), NOW, p -> p.equals(P1) ? fastdp : null))
                .isEqualTo("-> 10.0.0.2:6783         established encrypted   " + P1 + "(n1)\n"
                        + "     overlay fastdp: preferred, established (mtu=1410)\n"
                        + "<- 10.0.0.3:40000        pending     unencrypted " + P2 + "(n2)");
    }
}
