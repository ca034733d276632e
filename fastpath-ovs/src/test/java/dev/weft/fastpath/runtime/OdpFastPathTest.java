package dev.weft.fastpath.runtime;

import static dev.weft.fastpath.testing.FastPathLab.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.fastpath.api.FastPathConfig;
import dev.weft.fastpath.api.Vni;
import dev.weft.fastpath.internal.driver.PeerPath;
import dev.weft.fastpath.internal.odp.OdpAction;
import dev.weft.fastpath.internal.odp.OdpClient;
import dev.weft.fastpath.internal.odp.OdpDatapath;
import dev.weft.fastpath.testing.FastPathLab;
import dev.weft.fastpath.testing.FastPathLab.Node;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ODP driver against the real openvswitch module (this machine's kernel has none: it runs in
 * the VM, see {@code OdpInVmTest}): two router nodes' fast paths, bridged to their Linux bridges,
 * heartbeat through their datapaths until both ends carry each other; pods then ping over
 * datapath flows that tunnel with both short IDs in the VNI, and the routers' userspace sees no
 * pod frame.
 */
class OdpFastPathTest {

    @Test
    void podsOnTwoNodesPingThroughTheDatapathsAfterHeartbeatsPass() throws Exception {
        assumeTrue(FastPathRuntime.hasOdp(), "this kernel has no openvswitch module (runs in the VM: OdpInVmTest)");
        FastPathConfig config = FastPathConfig.defaults()
                .withDriver(FastPathConfig.DriverKind.ODP)
                .withHeartbeats(Duration.ofMillis(300), Duration.ofSeconds(3));
        try (FastPathLab lab = new FastPathLab(config)) {
            Node n1 = lab.node(1);
            Node n2 = lab.node(2);
            lab.pod(n1, 1);
            lab.pod(n2, 2);
            assertThat(n1.fastPath.driver()).isEqualTo("odp");
            lab.connect(n1, n2);
            assertThat(await(
                            Duration.ofSeconds(30),
                            () -> n1.state(n2).equals("healthy") && n2.state(n1).equals("healthy")))
                    .as("%s / %s", n1.link(n2), n2.link(n1))
                    .isTrue();
            n1.sleeve.reset();
            n2.sleeve.reset();

            assertThat(lab.ping(1, "10.32.0.2", 3)).isTrue();

            assertThat(n1.sleeve.podFrames(n1))
                    .as("pod frames n1's userspace saw")
                    .isEmpty();
            assertThat(n2.sleeve.podFrames(n2))
                    .as("pod frames n2's userspace saw")
                    .isEmpty();
            assertThat(n1.fastPath.status().counters())
                    .as("the datapath's counters reach status")
                    .containsOnlyKeys("hit", "missed", "lost", "flows")
                    .hasEntrySatisfying("hit", hit -> assertThat(hit).isPositive());
            assertThat(n1.fastPath.status().summary()).contains("1 of 1 link healthy", "(kernel: hit=");
            Map<String, Object> d = n1.overlay().diagnostics();
            assertThat(d).containsEntry("driver", "odp").containsEntry("shortId", 1);
            assertThat((Integer) d.get("flows")).as("flows answer the misses").isPositive();
            @SuppressWarnings("unchecked")
            List<String> vports = (List<String>) d.get("vports");
            assertThat(vports).anySatisfy(v -> assertThat(v).contains("vxlan"));
            try (OdpClient odp = n1.ns.call(() -> OdpClient.open().orElseThrow())) {
                OdpDatapath dp = odp.findDatapath(config.datapath()).orElseThrow();
                assertThat(odp.flows(dp))
                        .as("n1 tunnels pod frames to n2 with VNI = n1's short ID | n2's << 12")
                        .anySatisfy(f -> assertThat(f.actions())
                                .anySatisfy(a -> assertThat(a).isInstanceOfSatisfying(OdpAction.SetTunnel.class, t -> {
                                    assertThat(t.tunnel().id()).isEqualTo(Vni.of(1, 2));
                                    assertThat(t.tunnel().ipv4Dst()).isEqualTo(PeerPath.ipv4(n2.address));
                                })));
            }
        }
    }
}
