package dev.weft.gossip.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.gossip.api.ConnectionInfo;
import dev.weft.gossip.api.MeshStatus;
import dev.weft.gossip.api.PeerInfo;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Network faults in the simulator, by scenario: a symmetric partition and its heal, a flapping
 * link, a crash (the crashed peer is garbage-collected from everyone's topology) and its restart,
 * and a lossy, reordering network. Each run prints its seed; {@code -Dweft.seed=N} replays it.
 */
class FaultScenariosTest {

    private static boolean converged(Simulation sim) {
        return sim.fullyConnected() && sim.topologyConverged();
    }

    /** True if no peer of {@code side} reports an established connection to a peer of {@code other}. */
    private static boolean cut(List<SimPeer> side, List<SimPeer> other) {
        for (SimPeer p : side) {
            for (MeshStatus.Connection c : p.mesh().status().connections()) {
                if (other.stream().anyMatch(o -> o.name().equals(c.peer()))) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void symmetricPartitionThenHeal() {
        Simulation sim = Simulation.create();
        List<SimPeer> peers = sim.addPeers(12);
        sim.joinRandomly(peers, 2);
        assertThat(sim.runUntil(() -> converged(sim), Duration.ofMinutes(2)))
                .as("seed %d: initial convergence", sim.seed())
                .isTrue();
        List<SimPeer> a = peers.subList(0, 6);
        List<SimPeer> b = peers.subList(6, 12);
        sim.partition(a, b);
        // Connections across the cut die at the heartbeat deadline (60 s); each side carries on.
        assertThat(sim.runUntil(() -> cut(a, b) && cut(b, a), Duration.ofMinutes(3)))
                .as("seed %d: connections across the partition closed", sim.seed())
                .isTrue();
        sim.advance(Duration.ofMinutes(1));
        for (SimPeer p : a) {
            for (SimPeer q : a) {
                if (p != q) {
                    assertThat(p.mesh().routes().unicastNextHop(q.name()))
                            .as("seed %d: %s still routes to %s on its own side", sim.seed(), p, q)
                            .isEqualTo(q.name());
                }
            }
            for (SimPeer q : b) {
                assertThat(p.mesh().routes().unicastNextHop(q.name()))
                        .as("seed %d: no route from %s across the cut to %s", sim.seed(), p, q)
                        .isNull();
            }
        }
        sim.heal();
        assertThat(sim.runUntil(() -> converged(sim), Duration.ofMinutes(10)))
                .as("seed %d: full mesh and one topology again after the heal", sim.seed())
                .isTrue();
    }

    @Test
    void flappingLinkSettlesToOneConnection() {
        Simulation sim = Simulation.create();
        sim.defaultLink(LinkRule.DEFAULT.withDeadline(Duration.ofSeconds(8)));
        List<SimPeer> peers = sim.addPeers(6);
        sim.joinRandomly(peers, 2);
        assertThat(sim.runUntil(() -> converged(sim), Duration.ofMinutes(2))).isTrue();
        SimPeer x = peers.get(0);
        SimPeer y = peers.get(1);
        for (int i = 0; i < 8; i++) {
            sim.partition(List.of(x), List.of(y));
            sim.advance(Duration.ofSeconds(10 + i)); // past the deadline: the connection drops
            sim.heal();
            sim.advance(Duration.ofSeconds(5 + i)); // back, perhaps, for a while
        }
        assertThat(sim.runUntil(() -> converged(sim), Duration.ofMinutes(10)))
                .as("seed %d: converged after the link stopped flapping", sim.seed())
                .isTrue();
        assertThat(x.mesh().status().connections().stream()
                        .filter(c -> c.peer().equals(y.name()))
                        .count())
                .as("one connection between the flapping pair")
                .isEqualTo(1);
        assertThat(x.mesh().routes().unicastNextHop(y.name())).isEqualTo(y.name());
    }

    @Test
    void crashedPeerIsForgottenAndItsRestartRejoins() {
        Simulation sim = Simulation.create();
        List<SimPeer> peers = sim.addPeers(8);
        sim.joinRandomly(peers, 2);
        assertThat(sim.runUntil(() -> converged(sim), Duration.ofMinutes(2))).isTrue();
        SimPeer victim = peers.get(3);
        sim.crash(victim);
        List<SimPeer> rest = sim.livePeers();
        assertThat(sim.runUntil(
                        () -> rest.stream()
                                .allMatch(p ->
                                        p.mesh().topology().peer(victim.name()).isEmpty()),
                        Duration.ofMinutes(5)))
                .as("seed %d: the unreachable peer is garbage-collected everywhere", sim.seed())
                .isTrue();
        SimPeer again = sim.restart(victim, List.of(peers.get(0)));
        assertThat(sim.runUntil(() -> converged(sim), Duration.ofMinutes(10)))
                .as("seed %d: the restarted peer rejoins", sim.seed())
                .isTrue();
        for (SimPeer p : sim.livePeers()) {
            PeerInfo seen = p.mesh().topology().peer(again.name()).orElseThrow();
            assertThat(seen.uid()).isEqualTo(again.mesh().uid());
        }
    }

    @Test
    void peersGivenNoAddressesFindEachOtherThroughMembership() {
        Simulation sim = Simulation.create().withMembership();
        List<SimPeer> peers = sim.addPeers(10); // no targets at all: only membership hints
        assertThat(sim.runUntil(() -> converged(sim), Duration.ofMinutes(2)))
                .as("seed %d: full mesh from membership hints", sim.seed())
                .isTrue();
        SimPeer victim = peers.get(4);
        sim.crash(victim);
        assertThat(sim.membership().members()).hasSize(9);
        SimPeer again = sim.restart(victim, List.of());
        assertThat(sim.runUntil(() -> converged(sim), Duration.ofMinutes(5)))
                .as("seed %d: the restarted peer is found again through membership", sim.seed())
                .isTrue();
        assertThat(peers.get(0)
                        .mesh()
                        .topology()
                        .peer(again.name())
                        .orElseThrow()
                        .uid())
                .isEqualTo(again.mesh().uid());
    }

    @Test
    void lossyReorderingNetworkStillConverges() {
        // Beyond TCP semantics on purpose: periodic full-state gossip must repair lost updates.
        Simulation sim = Simulation.create();
        sim.defaultLink(LinkRule.DEFAULT.withDropProbability(0.05).withReorder(Duration.ofMillis(20)));
        List<SimPeer> peers = sim.addPeers(20);
        sim.joinRandomly(peers, 2);
        assertThat(sim.runUntil(() -> converged(sim), Duration.ofMinutes(10)))
                .as("seed %d: converged despite %d dropped messages", sim.seed(), sim.messagesDropped())
                .isTrue();
        assertThat(sim.messagesDropped()).isPositive();
        for (SimPeer p : peers) {
            for (SimPeer q : peers) {
                if (p != q) {
                    assertThat(p.mesh().topology().peer(q.name()).orElseThrow().connections())
                            .extracting(ConnectionInfo::remote)
                            .contains(p.name());
                }
            }
        }
    }
}
