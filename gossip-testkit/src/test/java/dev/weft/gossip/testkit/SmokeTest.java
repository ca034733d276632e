package dev.weft.gossip.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmokeTest {

    @Test
    void tenPeersJoinAndConverge() {
        Simulation sim = Simulation.create();
        List<SimPeer> peers = sim.addPeers(10);
        sim.joinRandomly(peers, 1);
        boolean ok = sim.runUntil(() -> sim.fullyConnected() && sim.topologyConverged(), Duration.ofSeconds(60));
        System.err.println(
                "elapsed " + sim.elapsed() + " msgs " + sim.messagesSent() + " events " + sim.eventsExecuted());
        assertThat(ok).isTrue();
    }
}
