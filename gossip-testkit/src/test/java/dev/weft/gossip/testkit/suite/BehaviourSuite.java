package dev.weft.gossip.testkit.suite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.gossip.api.GossipChannel;
import dev.weft.gossip.api.MeshStatus;
import dev.weft.gossip.api.PeerInfo;
import dev.weft.gossip.api.PeerName;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Mesh behaviour that must hold on every transport: the simulator and Netty over loopback run this
 * same suite. Randomized choices come from the harness seed (printed by the simulator).
 */
public abstract class BehaviourSuite {

    protected MeshHarness h;
    private SplittableRandom random;

    protected abstract MeshHarness newHarness();

    @BeforeEach
    void setUp() {
        h = newHarness();
        random = new SplittableRandom(h.seed());
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private static PeerName name(int i) {
        return PeerName.of(0x0200_0000_0000L | (long) i * 0x0101_0101L);
    }

    private List<MeshHarness.Node> start(int n, UnaryOperator<dev.weft.gossip.api.MeshConfig> config) {
        List<MeshHarness.Node> nodes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            nodes.add(h.add(name(i + 1), config));
        }
        return nodes;
    }

    private String seed() {
        return "seed " + h.seed();
    }

    /** Each node dials one random node among those before it, in a random order of names. */
    private void joinRandomly(List<MeshHarness.Node> nodes) {
        List<MeshHarness.Node> order = new ArrayList<>(nodes);
        for (int i = order.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            MeshHarness.Node t = order.get(i);
            order.set(i, order.get(j));
            order.set(j, t);
        }
        for (int i = 1; i < order.size(); i++) {
            h.connect(order.get(i), order.get(random.nextInt(i)));
        }
    }

    @Test
    void randomJoinOrderConvergesToAFullMesh() {
        List<MeshHarness.Node> nodes = start(12, UnaryOperator.identity());
        joinRandomly(nodes);
        boolean ok = h.await(() -> Meshes.fullMesh(nodes) && Meshes.converged(nodes), Duration.ofSeconds(60));
        assertThat(ok).as("%s: %s", seed(), Meshes.describe(nodes)).isTrue();
        for (MeshHarness.Node n : nodes) {
            for (MeshHarness.Node m : nodes) {
                if (n != m) {
                    assertThat(h.await(
                                    () -> m.name().equals(n.mesh().routes().unicastNextHop(m.name())),
                                    Duration.ofSeconds(5)))
                            .as("%s routes %s directly", n.name(), m.name())
                            .isTrue();
                }
            }
        }
    }

    @Test
    void channelsBroadcastGossipAndUnicastAcrossTheMesh() {
        List<MeshHarness.Node> nodes = start(8, UnaryOperator.identity());
        List<SuiteSet> sets = new ArrayList<>();
        List<GossipChannel> channels = new ArrayList<>();
        for (MeshHarness.Node n : nodes) {
            SuiteSet s = new SuiteSet();
            sets.add(s);
            channels.add(n.mesh().registerChannel("suite", s));
        }
        joinRandomly(nodes);
        assertThat(h.await(() -> Meshes.fullMesh(nodes) && Meshes.converged(nodes), Duration.ofSeconds(60)))
                .isTrue();
        for (int i = 0; i < nodes.size(); i++) {
            channels.get(i).broadcast(sets.get(i).add(i));
        }
        assertThat(h.await(() -> sets.stream().allMatch(s -> s.size() == nodes.size()), Duration.ofSeconds(20)))
                .as("%s: broadcasts reach everyone: %s", seed(), sets)
                .isTrue();
        channels.get(2).gossip(sets.get(2).add(1000));
        assertThat(h.await(() -> sets.stream().allMatch(s -> s.contains(1000)), Duration.ofSeconds(90)))
                .as("%s: gossip reaches everyone (epidemic, then anti-entropy)", seed())
                .isTrue();
        assertThat(channels.get(0).unicast(nodes.get(5).name(), "hi".getBytes(StandardCharsets.UTF_8)))
                .isTrue();
        assertThat(h.await(() -> sets.get(5).unicasts().contains(nodes.get(0).name() + ":hi"), Duration.ofSeconds(10)))
                .isTrue();
    }

    @Test
    void peerRestartWithTheSameNameAndANewUidIsSeenByAll() {
        List<MeshHarness.Node> nodes = new ArrayList<>(start(6, UnaryOperator.identity()));
        joinRandomly(nodes);
        assertThat(h.await(() -> Meshes.fullMesh(nodes) && Meshes.converged(nodes), Duration.ofSeconds(60)))
                .isTrue();
        MeshHarness.Node old = nodes.get(3);
        MeshHarness.Node fresh = h.restart(old);
        assertThat(fresh.mesh().uid()).isNotEqualTo(old.mesh().uid());
        nodes.set(3, fresh);
        boolean ok = h.await(() -> Meshes.fullMesh(nodes) && Meshes.converged(nodes), Duration.ofSeconds(120));
        assertThat(ok).as("%s: %s", seed(), Meshes.describe(nodes)).isTrue();
        for (MeshHarness.Node n : nodes) {
            PeerInfo seen = n.mesh().topology().peer(fresh.name()).orElseThrow();
            assertThat(seen.uid()).isEqualTo(fresh.mesh().uid());
        }
    }

    @Test
    void aNameCollisionIsRefusedAndHarmsNobody() {
        List<MeshHarness.Node> nodes = start(3, UnaryOperator.identity());
        joinRandomly(nodes);
        assertThat(h.await(() -> Meshes.fullMesh(nodes) && Meshes.converged(nodes), Duration.ofSeconds(60)))
                .isTrue();
        MeshHarness.Node twin = h.add(nodes.get(1).name(), UnaryOperator.identity());
        h.connect(twin, nodes.get(0));
        boolean failed = h.await(
                () -> twin.mesh().status().targets().stream()
                        .anyMatch(t -> t.state() != MeshStatus.TargetState.CONNECTED
                                && t.lastError().contains("collision")),
                Duration.ofSeconds(20));
        assertThat(failed).as("%s: %s", seed(), twin.mesh().status().targets()).isTrue();
        h.run(Duration.ofSeconds(2));
        assertThat(Meshes.fullMesh(nodes)).isTrue();
        for (MeshHarness.Node n : nodes) {
            assertThat(n.mesh()
                            .topology()
                            .peer(nodes.get(1).name())
                            .orElseThrow()
                            .uid())
                    .isEqualTo(nodes.get(1).mesh().uid());
        }
    }

    @Test
    void gossipRelaysOverAPartialMesh() {
        // A line 1-2-3-4-5 without discovery: everything must be relayed hop by hop.
        List<MeshHarness.Node> nodes = start(5, c -> c.withDiscovery(false));
        List<SuiteSet> sets = new ArrayList<>();
        List<GossipChannel> channels = new ArrayList<>();
        for (MeshHarness.Node n : nodes) {
            SuiteSet s = new SuiteSet();
            sets.add(s);
            channels.add(n.mesh().registerChannel("suite", s));
        }
        for (int i = 1; i < nodes.size(); i++) {
            h.connect(nodes.get(i), nodes.get(i - 1));
        }
        assertThat(h.await(() -> Meshes.converged(nodes), Duration.ofSeconds(60)))
                .as(seed())
                .isTrue();
        assertThat(nodes.getFirst().mesh().status().connections()).hasSize(1);
        assertThat(h.await(
                        () -> nodes.get(1)
                                .name()
                                .equals(nodes.getFirst()
                                        .mesh()
                                        .routes()
                                        .unicastNextHop(nodes.get(4).name())),
                        Duration.ofSeconds(5)))
                .as("the first hop from 1 to 5 is 2")
                .isTrue();
        channels.get(0).broadcast(sets.get(0).add(7));
        assertThat(h.await(() -> sets.stream().allMatch(s -> s.contains(7)), Duration.ofSeconds(20)))
                .isTrue();
        assertThat(channels.get(4).unicast(nodes.get(0).name(), "far".getBytes(StandardCharsets.UTF_8)))
                .isTrue();
        assertThat(h.await(() -> sets.get(0).unicasts().contains(nodes.get(4).name() + ":far"), Duration.ofSeconds(10)))
                .isTrue();
    }
}
