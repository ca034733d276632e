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
 * the VM, see {@code OdpInVmTest}): two router nodes' fast paths heartbeat through their datapaths
 * until both ends carry each other; pods then ping over datapath flows that tunnel with both short
 * IDs in the VNI, and the routers' userspace sees no pod frame. Pods are plugged into the datapath
 * directly (no bridge) except one on the bridge, which reaches the others through the datapath's
 * veth to the bridge. With the underlay cut, both ends fall back and frames for the other node's
 * pods reach sleeve's port (a datapath port too); with it back, they stay in the kernel again.
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
            assertThat(lab.plugPod(n1, 1)).as("the ODP driver takes pods").isTrue();
            assertThat(lab.plugPod(n2, 2)).isTrue();
            assertThat(lab.plugPod(n1, 4)).isTrue();
            lab.pod(n1, 3); // on the bridge
            assertThat(n1.fastPath.driver()).isEqualTo("odp");
            lab.connect(n1, n2);
            assertThat(await(
                            Duration.ofSeconds(30),
                            () -> n1.state(n2).equals("healthy") && n2.state(n1).equals("healthy")))
                    .as("%s / %s", n1.link(n2), n2.link(n1))
                    .isTrue();
            n1.sleeve.reset();
            n2.sleeve.reset();

            assertThat(lab.ping(1, "10.32.0.2", 3))
                    .as("plugged pod to the other node's")
                    .isTrue();
            assertThat(lab.ping(1, "10.32.0.4", 2))
                    .as("plugged pod to plugged pod")
                    .isTrue();
            assertThat(lab.ping(3, "10.32.0.2", 2))
                    .as("bridged pod to the other node's")
                    .isTrue();
            assertThat(lab.ping(4, "10.32.0.3", 2))
                    .as("plugged pod to bridged pod")
                    .isTrue();

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
            assertThat(d.get("pods").toString()).contains("pv1", "pv4");
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
                int pv1 = port(odp, dp, "pv1");
                int pv4 = port(odp, dp, "pv4");
                assertThat(odp.flows(dp))
                        .as("plugged pods reach each other with one output, no bridge in between")
                        .anySatisfy(f -> {
                            assertThat(f.key().inPort()).isEqualTo(pv1);
                            assertThat(f.actions()).containsExactly(new OdpAction.Output(pv4));
                        });
            }

            // Cut the underlay: heartbeats stop both ways, both ends fall back to sleeve.
            lab.inNode(n2, "ip link set eth0 down");
            assertThat(await(
                            Duration.ofSeconds(20),
                            () -> n1.state(n2).equals("unhealthy")
                                    && n2.state(n1).equals("unhealthy")))
                    .as("%s / %s", n1.link(n2), n2.link(n1))
                    .isTrue();
            n1.sleeve.reset();
            lab.ping(1, "10.32.0.2", 2); // nothing carries sleeve's frames in this test
            assertThat(n1.sleeve.ipv4Destinations())
                    .as("frames for n2's pod reach sleeve's port once n2 is on sleeve")
                    .contains("10.32.0.2");
            assertThat(lab.ping(1, "10.32.0.4", 2))
                    .as("local pods are not affected")
                    .isTrue();

            lab.inNode(n2, "ip link set eth0 up");
            assertThat(await(
                            Duration.ofSeconds(20),
                            () -> n1.state(n2).equals("healthy") && n2.state(n1).equals("healthy")))
                    .as("%s / %s", n1.link(n2), n2.link(n1))
                    .isTrue();
            assertThat(lab.ping(1, "10.32.0.2", 2)).as("back on the fast path").isTrue();
            n1.sleeve.reset();
            assertThat(lab.ping(1, "10.32.0.2", 3)).isTrue();
            assertThat(n1.sleeve.ipv4Destinations())
                    .as("nothing for n2 reaches sleeve again")
                    .isEmpty();

            assertThat(n1.fastPath.detachPod("pv4")).isTrue();
            assertThat(n1.fastPath.detachPod("pv4")).as("idempotent").isFalse();
            assertThat(n1.overlay().diagnostics().get("pods").toString()).doesNotContain("pv4");
            assertThat(lab.ping(1, "10.32.0.4", 1)).as("unplugged").isFalse();
        }
    }

    private static int port(OdpClient odp, OdpDatapath dp, String name) {
        return odp.vports(dp).stream()
                .filter(v -> v.name().equals(name))
                .findFirst()
                .orElseThrow()
                .portNo();
    }
}
