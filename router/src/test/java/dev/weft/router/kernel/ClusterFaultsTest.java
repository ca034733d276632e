package dev.weft.router.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.gossip.spi.SessionKey;
import dev.weft.router.internal.dataplane.DataPlaneConfig;
import dev.weft.sleeve.api.Drop;
import dev.weft.sleeve.kernel.Sh;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Small clusters, each with one thing wrong on purpose. */
class ClusterFaultsTest {
    @BeforeEach
    void root() {
        assumeTrue("root".equals(System.getProperty("user.name")), "kernel tests need root");
    }

    @Test
    void whenAToCIsBlockedTrafficIsRelayedThroughB() throws Exception {
        try (LocalCluster c = new LocalCluster(LocalCluster.Options.of(3, 1).encrypted());
                PodTcp tcp = new PodTcp()) {
            LocalCluster.Node a = c.nodes.get(0);
            LocalCluster.Node b = c.nodes.get(1);
            LocalCluster.Node cc = c.nodes.get(2);
            Sh.ns(a.ns.name(), "iptables", "-A", "OUTPUT", "-p", "udp", "-d", cc.underlayIp, "-j", "DROP");
            Sh.ns(a.ns.name(), "iptables", "-A", "INPUT", "-p", "udp", "-s", cc.underlayIp, "-j", "DROP");
            c.connectAll();
            assertThat(c.awaitLinks(4, Duration.ofSeconds(20)))
                    .as("A-B and B-C established")
                    .isTrue();
            Thread.sleep(1500);
            assertThat(c.establishedLinks()).as("A-C never established").isEqualTo(4);
            assertThat(ClusterTest.ping(a.pods.get(0), cc.podIps.get(0))).isTrue();
            assertThat(ClusterTest.ping(cc.pods.get(0), a.podIps.get(0))).isTrue();
            tcp.serve(cc.pods.get(0), 7000);
            byte[] payload = new byte[300_000];
            new java.util.Random(3).nextBytes(payload);
            assertThat(PodTcp.echo(a.pods.get(0), cc.podIps.get(0), 7000, payload))
                    .isEqualTo(payload);
            assertThat(b.dataPlane.forwarder().relayedFrames()).isPositive();
            assertThat(a.dataPlane.overlaySwitch().connections())
                    .anySatisfy(conn -> assertThat(conn.get("state")).startsWith("waiting"));
        }
    }

    @Test
    void aPeerWithAnotherPasswordNeverCarriesTraffic() throws Exception {
        byte[] other = new byte[32];
        other[0] = 1;
        var keys = List.of(new SessionKey(new byte[32]), new SessionKey(other));
        try (LocalCluster c = new LocalCluster(LocalCluster.Options.of(2, 1).keys(keys))) {
            c.connectAll();
            assertThat(c.awaitLinks(1, Duration.ofSeconds(3)))
                    .as("nothing established")
                    .isFalse();
            LocalCluster.Node a = c.nodes.get(0);
            LocalCluster.Node b = c.nodes.get(1);
            assertThat(Sh.nsRun(10, a.pods.get(0), "ping", "-c", "2", "-W", "1", b.podIps.get(0))
                            .exit())
                    .isNotZero();
            assertThat(b.dataPlane.sleeve().status().drops().getOrDefault(Drop.NOT_AUTHENTIC, 0L))
                    .isPositive();
            assertThat(b.dataPlane.forwarder().deliveredFrames()).isZero();
            assertThat(a.dataPlane.forwarder().deliveredFrames()).isZero();
        }
    }

    @Test
    void aFrameBiggerThanThePathMtuIsAnsweredWithIcmpAndTcpStillCompletes() throws Exception {
        // Pods and the bridge at 1500: bigger than what one encrypted datagram carries (1392).
        var o = LocalCluster.Options.of(2, 1)
                .encrypted()
                .podMtu(1500)
                .config(DataPlaneConfig.defaults().withMtu(1500));
        try (LocalCluster c = new LocalCluster(o);
                PodTcp tcp = new PodTcp()) {
            c.connectAll();
            assertThat(c.awaitFullMesh(Duration.ofSeconds(20))).isTrue();
            LocalCluster.Node a = c.nodes.get(0);
            LocalCluster.Node b = c.nodes.get(1);
            tcp.serve(b.pods.get(0), 7000);
            byte[] payload = new byte[1_000_000];
            new java.util.Random(5).nextBytes(payload);
            assertThat(PodTcp.echo(a.pods.get(0), b.podIps.get(0), 7000, payload))
                    .isEqualTo(payload);
            assertThat(a.dataPlane.sleeve().status().drops().getOrDefault(Drop.TOO_BIG, 0L))
                    .isPositive();
            String route = Sh.ns(a.pods.get(0), "ip", "route", "get", b.podIps.get(0));
            assertThat(route).contains("mtu " + a.dataPlane.sleeve().frameMtu(b.name.value()));
        }
    }
}
