package dev.weft.fastpath.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.gossip.api.PeerName;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FastPathStatusTest {
    private static final PeerName A = PeerName.parse("02:00:00:00:00:01");
    private static final PeerName B = PeerName.parse("02:00:00:00:00:02");

    @Test
    void summaryCountsHealthyLinksAndSaysWhyTheOthersAreNot() {
        FastPathStatus s = new FastPathStatus(
                "vxlan",
                "weft-vxlan",
                6784,
                1376,
                List.of(
                        new FastPathStatus.Link(A, "10.0.0.1", "healthy", "", 10, 10, 10, 0),
                        new FastPathStatus.Link(
                                B,
                                "10.0.0.2",
                                "unhealthy",
                                "no heartbeat received for 10 s: frames from the peer are lost",
                                10,
                                10,
                                2,
                                1)),
                Map.of());

        assertThat(s.summary())
                .isEqualTo("vxlan on weft-vxlan (UDP 6784, MTU 1376): 1 of 2 links healthy; 02:00:00:00:00:02"
                        + " unhealthy: no heartbeat received for 10 s: frames from the peer are lost");
    }

    @Test
    void summaryOfAnOdpFastPathCarriesItsKernelCounters() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("hit", 1000L);
        counters.put("missed", 12L);
        counters.put("lost", 0L);
        counters.put("flows", 6L);
        assertThat(new FastPathStatus("odp", "weft-dp-b", 6784, 1376, List.of(), counters).summary())
                .isEqualTo("odp on weft-dp-b (UDP 6784, MTU 1376): 0 of 0 links healthy"
                        + " (kernel: hit=1000 missed=12 lost=0 flows=6)");
    }
}
