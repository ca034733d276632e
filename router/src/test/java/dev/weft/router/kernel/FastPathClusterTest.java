package dev.weft.router.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.fastpath.api.FastPathConfig;
import dev.weft.router.internal.dataplane.DataPlaneConfig;
import dev.weft.sleeve.kernel.Sh;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Three routers' data planes with the kernel fast path (the VXLAN driver: this kernel has no
 * Open vSwitch) in front of sleeve, on real devices: pods talk over the fast path and the routers'
 * userspace forwarders see none of their frames; with VXLAN between two nodes dropped by iptables,
 * that connection falls back to sleeve (pods still talk, status says why) while the third node
 * stays on the fast path; when the rule goes, the connection moves back.
 */
class FastPathClusterTest {

    /**
     * Frames the userspace forwarders may see while the fast path carries the pods: a broadcast
     * (ARP) at the start of a flow reaches sleeve's TAP like any bridge port, and so can a node's
     * stray control frame. The 300 KB echoes below are more than 400 frames, so a data path through
     * userspace shows as hundreds; the runs that failed the old zero bound saw exactly 1.
     */
    private static final long STRAY_FRAMES = 4;

    static final FastPathConfig FAST = FastPathConfig.defaults()
            .withDriver(FastPathConfig.DriverKind.VXLAN)
            .withHeartbeats(Duration.ofMillis(200), Duration.ofSeconds(1));

    @Test
    void podsUseTheFastPathFallBackToSleeveWhileVxlanIsDroppedAndComeBack() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "kernel tests need root");
        var options =
                LocalCluster.Options.of(3, 1).config(DataPlaneConfig.defaults().withFastPath(Optional.of(FAST)));
        try (LocalCluster c = new LocalCluster(options);
                PodTcp tcp = new PodTcp()) {
            LocalCluster.Node a = c.nodes.get(0);
            LocalCluster.Node b = c.nodes.get(1);
            LocalCluster.Node cc = c.nodes.get(2);
            for (LocalCluster.Node n : c.nodes) {
                assertThat(n.dataPlane.fastPath()).as("fast path on " + n.name).isPresent();
                // The nodes' own IPv6 chatter on the bridge and sleeve's TAP is not pod traffic.
                for (String dev :
                        new String[] {"weft", n.dataPlane.sleeve().status().tap()}) {
                    Sh.ns(n.ns.name(), "sysctl", "-qw", "net.ipv6.conf." + dev + ".disable_ipv6=1");
                }
                // nor the pods' (router solicitations and MLD reports are flooded to sleeve's TAP too)
                for (String pod : n.pods) {
                    Sh.ns(pod, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
                }
            }
            c.connectAll();
            assertThat(await(Duration.ofSeconds(10), () -> everyConnectionOn(c, "fastpath")))
                    .as(status(c))
                    .isTrue();
            Thread.sleep(300);
            long captured = captured(c);

            tcp.serve(b.pods.get(0), 7100);
            byte[] payload = new byte[300_000];
            new Random(7).nextBytes(payload);
            assertThat(PodTcp.echo(a.pods.get(0), b.podIps.get(0), 7100, payload))
                    .isEqualTo(payload);
            assertThat(ClusterTest.ping(a.pods.get(0), cc.podIps.get(0))).isTrue();
            assertThat(ClusterTest.ping(cc.pods.get(0), b.podIps.get(0))).isTrue();
            assertThat(captured(c) - captured)
                    .as("frames the routers' userspace forwarders saw")
                    .isLessThanOrEqualTo(STRAY_FRAMES);

            String[] drop = {"OUTPUT", "-p", "udp", "--dport", "6784", "-d", b.underlayIp, "-j", "DROP"};
            Sh.ns(a.ns.name(), iptables("-A", drop));
            try {
                assertThat(await(Duration.ofSeconds(5), () -> on(a, b, "sleeve") && on(b, a, "sleeve")))
                        .as(status(c))
                        .isTrue();
                assertThat(connection(a, b).get("why"))
                        .startsWith("fastpath on hold: no heartbeat acknowledged for")
                        .endsWith("frames to the peer are lost");
                assertThat(connection(b, a).get("why")).startsWith("fastpath on hold: no heartbeat received for");
                assertThat(on(a, cc, "fastpath"))
                        .as("a-c stays on the fast path")
                        .isTrue();

                long before = captured(c);
                assertThat(PodTcp.echo(a.pods.get(0), b.podIps.get(0), 7100, payload))
                        .as("over sleeve")
                        .isEqualTo(payload);
                assertThat(ClusterTest.ping(b.pods.get(0), a.podIps.get(0))).isTrue();
                assertThat(captured(c) - before).as("sleeve carried them").isPositive();
            } finally {
                Sh.ns(a.ns.name(), iptables("-D", drop));
            }

            assertThat(await(Duration.ofSeconds(5), () -> everyConnectionOn(c, "fastpath")))
                    .as(status(c))
                    .isTrue();
            Thread.sleep(300);
            long after = captured(c);
            assertThat(PodTcp.echo(a.pods.get(0), b.podIps.get(0), 7100, payload))
                    .isEqualTo(payload);
            assertThat(captured(c) - after).as("back on the fast path").isLessThanOrEqualTo(STRAY_FRAMES);
        }
    }

    /**
     * A partial mesh (a-b, b-c, no a-c) with both links on the fast path: a's pod reaches c's
     * through b. Its ARP broadcast must reach b's router to be relayed, so while a peer is reached
     * through others the fast path leaves floods to sleeve as well (before, they stayed in b's
     * kernel and a's and c's pods never resolved each other).
     */
    @Test
    void inAPartialMeshPodsReachAPeerThroughAnotherWhileBothLinksAreOnTheFastPath() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "kernel tests need root");
        var options =
                LocalCluster.Options.of(3, 1).config(DataPlaneConfig.defaults().withFastPath(Optional.of(FAST)));
        try (LocalCluster c = new LocalCluster(options)) {
            LocalCluster.Node a = c.nodes.get(0);
            LocalCluster.Node b = c.nodes.get(1);
            LocalCluster.Node cc = c.nodes.get(2);
            c.connectPair(0, 1);
            c.connectPair(1, 2);
            assertThat(await(Duration.ofSeconds(10), () -> on(a, b, "fastpath") && on(b, cc, "fastpath")))
                    .as(status(c))
                    .isTrue();
            assertThat(ClusterTest.ping(a.pods.get(0), b.podIps.get(0))).isTrue();
            assertThat(ClusterTest.ping(a.pods.get(0), cc.podIps.get(0)))
                    .as("a to c through b")
                    .isTrue();
            assertThat(ClusterTest.ping(cc.pods.get(0), a.podIps.get(0))).isTrue();
        }
    }

    @Test
    void withAPasswordEveryConnectionUsesSleeveAndTheFastPathCarriesNothing() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "kernel tests need root");
        var options = LocalCluster.Options.of(2, 1)
                .encrypted()
                .config(DataPlaneConfig.defaults().withFastPath(Optional.of(FAST)));
        try (LocalCluster c = new LocalCluster(options)) {
            LocalCluster.Node a = c.nodes.get(0);
            LocalCluster.Node b = c.nodes.get(1);
            c.connectAll();
            assertThat(c.awaitFullMesh(Duration.ofSeconds(20))).as(status(c)).isTrue();
            assertThat(ClusterTest.ping(a.pods.get(0), b.podIps.get(0))).isTrue();
            assertThat(connection(a, b))
                    .containsEntry("overlay", "sleeve")
                    .containsEntry(
                            "why",
                            "fastpath failed: refused: connection is encrypted and the fast path does not encrypt yet");
            assertThat(a.dataPlane.fastPath().orElseThrow().status().links()).isEmpty();
            String fdb = Sh.ns(a.ns.name(), "bridge", "fdb", "show", "dev", FAST.vxlanDevice());
            assertThat(fdb).as("no peer to flood to: nothing leaves in clear").doesNotContain("00:00:00:00:00:00");
        }
    }

    static String[] iptables(String op, String[] rule) {
        String[] cmd = new String[rule.length + 3];
        cmd[0] = "iptables";
        cmd[1] = "-w";
        cmd[2] = op;
        System.arraycopy(rule, 0, cmd, 3, rule.length);
        return cmd;
    }

    static long captured(LocalCluster c) {
        return c.nodes.stream()
                .mapToLong(n -> n.dataPlane.forwarder().capturedFrames())
                .sum();
    }

    static Map<String, String> connection(LocalCluster.Node self, LocalCluster.Node peer) {
        return self.dataPlane.overlaySwitch().connections().stream()
                .filter(m -> m.get("peer").equals(peer.name.toString()))
                .findFirst()
                .orElse(Map.of());
    }

    static boolean on(LocalCluster.Node self, LocalCluster.Node peer, String overlay) {
        return overlay.equals(connection(self, peer).get("overlay"));
    }

    static boolean everyConnectionOn(LocalCluster c, String overlay) {
        for (LocalCluster.Node a : c.nodes) {
            for (LocalCluster.Node b : c.nodes) {
                if (a != b && !on(a, b, overlay)) {
                    return false;
                }
            }
        }
        return true;
    }

    static String status(LocalCluster c) {
        StringBuilder sb = new StringBuilder("connections:");
        for (LocalCluster.Node n : c.nodes) {
            for (Map<String, String> m : n.dataPlane.overlaySwitch().connections()) {
                sb.append("\n  ").append(n.name).append(' ').append(m);
            }
        }
        return sb.toString();
    }

    static boolean await(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }
}
