package dev.weft.gossip.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.gossip.api.GossipChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gossip channels on the simulator: broadcast, neighbour gossip and unicast reach their targets. */
class ChannelSimTest {

    private record Node(SimPeer peer, GSet set, GossipChannel channel) {}

    private List<Node> mesh(Simulation sim, int n) {
        List<SimPeer> peers = sim.addPeers(n);
        List<Node> nodes = new ArrayList<>();
        for (SimPeer p : peers) {
            GSet s = new GSet();
            nodes.add(new Node(p, s, p.mesh().registerChannel("gset", s)));
        }
        sim.joinRandomly(peers, 2);
        assertThat(sim.runUntil(() -> sim.fullyConnected() && sim.topologyConverged(), Duration.ofMinutes(1)))
                .as("mesh converged (seed %d)", sim.seed())
                .isTrue();
        return nodes;
    }

    @Test
    void broadcastReachesEveryPeer() {
        Simulation sim = Simulation.create();
        List<Node> nodes = mesh(sim, 20);
        for (int i = 0; i < nodes.size(); i++) {
            nodes.get(i).channel().broadcast(nodes.get(i).set().add(i));
        }
        sim.runUntilQuiescent();
        for (Node n : nodes) {
            assertThat(n.set().items).as("seed %d", sim.seed()).hasSize(20);
        }
    }

    @Test
    void neighbourGossipSpreadsEpidemically() {
        Simulation sim = Simulation.create();
        List<Node> nodes = mesh(sim, 30);
        nodes.getFirst().channel().gossip(nodes.getFirst().set().add(42));
        sim.runUntilQuiescent();
        long reached = nodes.stream().filter(n -> n.set().items.contains(42L)).count();
        // Push gossip with 2·log2(N) fan-out: the first hop alone reaches ~10 of 30 peers; anti-entropy
        // (periodic full state) reaches the rest.
        assertThat(reached).as("seed %d", sim.seed()).isGreaterThan(1);
        sim.advance(Duration.ofSeconds(90));
        sim.runUntilQuiescent();
        for (Node n : nodes) {
            assertThat(n.set().items).as("seed %d", sim.seed()).contains(42L);
        }
    }

    @Test
    void unicastArrivesAtItsDestinationOnly() {
        Simulation sim = Simulation.create();
        List<Node> nodes = mesh(sim, 10);
        Node from = nodes.get(1);
        Node to = nodes.get(7);
        assertThat(from.channel().unicast(to.peer().name(), "hello".getBytes(StandardCharsets.UTF_8)))
                .isTrue();
        sim.runUntilQuiescent();
        assertThat(to.set().unicasts).containsExactly(from.peer().name() + ":hello");
        for (Node n : nodes) {
            if (n != to) {
                assertThat(n.set().unicasts).isEmpty();
            }
        }
    }

    @Test
    void lateJoinerGetsFullStateOfEveryChannel() {
        Simulation sim = Simulation.create();
        List<Node> nodes = mesh(sim, 8);
        for (int i = 0; i < nodes.size(); i++) {
            nodes.get(i).channel().broadcast(nodes.get(i).set().add(100 + i));
        }
        sim.runUntilQuiescent();
        SimPeer late = sim.addPeer();
        GSet lateSet = new GSet();
        late.mesh().registerChannel("gset", lateSet);
        late.connectTo(nodes.get(3).peer());
        sim.runUntilQuiescent();
        assertThat(lateSet.items).as("seed %d", sim.seed()).hasSize(8);
    }
}
