package dev.weft.fastpath.runtime;

import static dev.weft.fastpath.testing.FastPathLab.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.fastpath.api.FastPathConfig;
import dev.weft.fastpath.testing.FastPathLab;
import dev.weft.fastpath.testing.FastPathLab.Node;
import dev.weft.linux.api.BridgePort;
import dev.weft.linux.api.MacAddress;
import dev.weft.linux.api.Neighbour;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The VXLAN driver on this kernel, in namespaces: three router nodes with a pod each. Pods on two,
 * then three nodes reach each other over the fast path while the router's userspace (sleeve's port)
 * sees none of their frames; VXLAN between two nodes dropped with iptables makes that connection
 * fall back (frames for the other node reach sleeve's port; the third node stays on the fast path),
 * and it comes back when the rule goes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VxlanFastPathTest {
    static final FastPathConfig CONFIG = FastPathConfig.defaults()
            .withDriver(FastPathConfig.DriverKind.VXLAN)
            .withHeartbeats(Duration.ofMillis(200), Duration.ofSeconds(1));
    static FastPathLab lab;
    static Node n1;
    static Node n2;
    static Node n3;

    @BeforeAll
    static void nodes() {
        assumeTrue("root".equals(System.getProperty("user.name")), "kernel tests need root (network namespaces)");
        lab = new FastPathLab(CONFIG);
        n1 = lab.node(1);
        n2 = lab.node(2);
        lab.pod(n1, 1);
        lab.pod(n2, 2);
    }

    @AfterAll
    static void cleanUp() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    @Order(1)
    void podsOnTwoThenThreeNodesReachEachOtherWithoutUserspace() throws Exception {
        assertThat(n1.fastPath.driver()).isEqualTo("vxlan");
        lab.connect(n1, n2);
        assertThat(await(Duration.ofSeconds(5), () -> healthy(n1, n2)))
                .as(states())
                .isTrue();
        assertThat(sleeveFlooding(n1))
                .as("n1 carries every peer: nothing flooded to sleeve")
                .isFalse();
        resetSleeve();

        assertThat(lab.ping(1, "10.32.0.2", 3)).isTrue();

        n3 = lab.node(3);
        lab.pod(n3, 3);
        lab.connect(n1, n3);
        lab.connect(n2, n3);
        assertThat(await(Duration.ofSeconds(5), () -> healthy(n1, n3) && healthy(n2, n3)))
                .as(states())
                .isTrue();
        resetSleeve();

        assertThat(lab.ping(1, "10.32.0.3", 3)).isTrue();
        assertThat(lab.ping(2, "10.32.0.3", 3)).isTrue();
        assertThat(lab.ping(3, "10.32.0.1", 3)).isTrue();
        assertThat(lab.ping(2, "10.32.0.1", 3)).isTrue();

        for (Node n : List.of(n1, n2, n3)) {
            assertThat(n.sleeve.podFrames(n))
                    .as("pod frames %s's bridge handed the router's userspace", n)
                    .isEmpty();
        }
        assertThat(floodTo(n1)).containsExactlyInAnyOrder(n2.address, n3.address);
        assertThat(floodTo(n3)).containsExactlyInAnyOrder(n1.address, n2.address);
        assertThat(learnt(n1)).as("the kernel learnt where the remote pods are").contains(n2.address, n3.address);
        assertThat(n1.connection(n2).forward(n1.name, n2.name, broadcast())).isTrue();
        assertThat(n1.connection(n2).forward(n3.name, n2.name, broadcast()))
                .as("relaying is sleeve's job")
                .isFalse();
    }

    @Test
    @Order(2)
    void droppedVxlanFallsBackToSleeveAndComesBack() throws Exception {
        assumeTrue(n3 != null, "needs the three nodes of the first test");
        String drop = "OUTPUT -p udp --dport " + CONFIG.udpPort() + " -d " + n2.address.getHostAddress() + " -j DROP";
        lab.inNode(n1, "iptables -w -A " + drop);
        try {
            assertThat(await(Duration.ofSeconds(5), () -> unhealthy(n1, n2) && unhealthy(n2, n1)))
                    .as(states())
                    .isTrue();
            assertThat(n1.link(n2).orElseThrow().reason()).contains("frames to the peer are lost");
            assertThat(n2.link(n1).orElseThrow().reason()).contains("frames from the peer are lost");
            assertThat(n1.connection(n2).attrs())
                    .containsEntry("state", "unhealthy")
                    .containsKey("reason");
            assertThat(n1.connection(n2).forward(n1.name, n2.name, broadcast()))
                    .as("the overlay switch must use sleeve")
                    .isFalse();
            assertThat(healthy(n1, n3) && healthy(n2, n3))
                    .as("the third node stays on the fast path")
                    .isTrue();
            assertThat(floodTo(n1)).containsExactly(n3.address);
            assertThat(floodTo(n2)).containsExactly(n3.address);
            assertThat(learnt(n1)).as("n2's MACs forgotten on n1").doesNotContain(n2.address);
            assertThat(sleeveFlooding(n1)).as("n2 needs sleeve now").isTrue();

            // The fallback made the bridge forget every MAC behind the VXLAN device: the first
            // frames to n3's pod are flooded (to sleeve too, which the router's switch drops as
            // already carried) until n3's replies are learnt again.
            assertThat(lab.ping(1, "10.32.0.3", 2))
                    .as("n3 still over the fast path")
                    .isTrue();
            resetSleeve();
            assertThat(lab.ping(1, "10.32.0.3", 2)).isTrue();
            lab.ping(1, "10.32.0.2", 2); // no sleeve in this test: nothing carries it, but the router sees it
            assertThat(n1.sleeve.ipv4Destinations())
                    .as("frames for n2's pod reach sleeve's port, n3's do not")
                    .contains("10.32.0.2")
                    .doesNotContain("10.32.0.3");
        } finally {
            lab.inNode(n1, "iptables -w -D " + drop);
        }

        assertThat(await(Duration.ofSeconds(5), () -> healthy(n1, n2)))
                .as(states())
                .isTrue();
        assertThat(n1.link(n2).orElseThrow().failures()).isEqualTo(1);
        assertThat(floodTo(n1)).containsExactlyInAnyOrder(n2.address, n3.address);
        assertThat(sleeveFlooding(n1)).isFalse();
        resetSleeve();
        assertThat(lab.ping(1, "10.32.0.2", 3)).as("back on the fast path").isTrue();
        assertThat(n1.sleeve.ipv4Destinations()).isEmpty();
    }

    static boolean healthy(Node a, Node b) {
        return a.state(b).equals("healthy") && b.state(a).equals("healthy");
    }

    static boolean unhealthy(Node a, Node b) {
        return a.state(b).equals("unhealthy");
    }

    static String states() {
        StringBuilder sb = new StringBuilder("fast-path states:");
        for (Node n : new Node[] {n1, n2, n3}) {
            if (n != null) {
                n.fastPath
                        .status()
                        .links()
                        .forEach(l -> sb.append("\n  ").append(n).append(" -> ").append(l));
            }
        }
        return sb.toString();
    }

    static void resetSleeve() {
        for (Node n : new Node[] {n1, n2, n3}) {
            if (n != null) {
                n.sleeve.reset();
            }
        }
    }

    static List<InetAddress> floodTo(Node n) {
        int vx = n.rt.links().get(CONFIG.vxlanDevice()).index();
        return n.rt.neighbours().fdbList(vx).stream()
                .filter(e -> MacAddress.ZERO.equals(e.mac()))
                .map(Neighbour::ip)
                .toList();
    }

    static List<InetAddress> learnt(Node n) {
        int vx = n.rt.links().get(CONFIG.vxlanDevice()).index();
        return n.rt.neighbours().fdbList(vx).stream()
                .filter(e -> !e.isPermanent() && e.ip() != null && e.masterIndex() == 0)
                .map(Neighbour::ip)
                .toList();
    }

    static boolean sleeveFlooding(Node n) {
        BridgePort p =
                n.rt.bridgePorts().get(n.rt.links().get(FastPathLab.SLEEVE_PORT).index());
        assertThat(p.isolated()).as("sleeve's port is isolated").isTrue();
        return p.broadcastFlood();
    }

    static ByteBuffer broadcast() {
        ByteBuffer b = ByteBuffer.allocate(64);
        for (int i = 0; i < 6; i++) {
            b.put(i, (byte) 0xff);
        }
        return b;
    }
}
