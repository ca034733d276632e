package dev.weft.gossip.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.gossip.api.MeshStatus;
import dev.weft.gossip.api.PeerInfo;
import dev.weft.gossip.api.PeerName;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The mesh's rules, each in the simulator: unique short IDs, one connection per pair when both
 * dial at once, the connection limit (with relaying and referrals), the retry schedule, and never
 * retrying a connection to ourselves. Seeds are printed; {@code -Dweft.seed=N} replays.
 */
class MeshRulesTest {

    @Test
    void shortIdsEndUpUniqueAcrossTheMesh() {
        // 80 random 12-bit IDs collide with probability ~0.54: gossip must resolve it.
        Simulation sim = Simulation.create();
        List<SimPeer> peers = sim.addPeers(80);
        sim.joinRandomly(peers, 3);
        assertThat(sim.runUntil(sim::topologyConverged, Duration.ofMinutes(3)))
                .as("seed %d", sim.seed())
                .isTrue();
        assertThat(sim.runUntil(() -> distinctShortIds(peers), Duration.ofMinutes(1)))
                .as("seed %d: every peer has a short ID, all different", sim.seed())
                .isTrue();
        // And everyone agrees on everyone's short ID.
        List<PeerInfo> view = peers.get(0).mesh().topology().peers();
        for (SimPeer p : peers) {
            assertThat(p.mesh().topology().peers())
                    .extracting(PeerInfo::shortId)
                    .isEqualTo(view.stream().map(PeerInfo::shortId).toList());
        }
    }

    private static boolean distinctShortIds(List<SimPeer> peers) {
        Set<Integer> seen = new HashSet<>();
        for (SimPeer p : peers) {
            PeerInfo self = p.mesh().topology().peer(p.name()).orElseThrow();
            if (self.shortId().isEmpty() || !seen.add(self.shortId().get().value())) {
                return false;
            }
        }
        return true;
    }

    @Test
    void bothSidesDiallingAtOnceKeepOneConnection() {
        Simulation sim = Simulation.create();
        SimPeer a = sim.addPeer();
        SimPeer b = sim.addPeer();
        a.connectTo(b);
        b.connectTo(a);
        assertThat(sim.runUntil(sim::fullyConnected, Duration.ofSeconds(30))).isTrue();
        sim.advance(Duration.ofSeconds(10));
        List<MeshStatus.Connection> ca = a.mesh().status().connections();
        List<MeshStatus.Connection> cb = b.mesh().status().connections();
        assertThat(ca).as("seed %d", sim.seed()).hasSize(1);
        assertThat(cb).hasSize(1);
        assertThat(ca.getFirst().outbound())
                .as("the same connection at both ends: one dialled it, the other accepted it")
                .isNotEqualTo(cb.getFirst().outbound());
    }

    @Test
    void aTargetAtAPeerThatDialledUsFirstDoesNotReplaceTheConnection() {
        // b dials a; then a is told about b (its direct target never reached b itself, as when a's
        // own dial lost the race). Dialling b again would make a new connection that replaces
        // the working one whenever its UID is the smaller: half the time. Eight pairs, so the
        // old behaviour passes with probability 1/256.
        Simulation sim = Simulation.create();
        List<SimPeer[]> pairs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            SimPeer a = sim.addPeer();
            SimPeer b = sim.addPeer();
            b.connectTo(a);
            pairs.add(new SimPeer[] {a, b});
        }
        assertThat(sim.runUntil(
                        () -> pairs.stream().allMatch(p -> established(p[0]) && established(p[1])),
                        Duration.ofSeconds(30)))
                .as("seed %d", sim.seed())
                .isTrue();
        sim.advance(Duration.ofSeconds(5)); // b's record, with the address it listens at, reaches a
        List<Instant> since = new ArrayList<>();
        for (SimPeer[] p : pairs) {
            since.add(p[0].mesh().status().connections().getFirst().since());
            p[0].connectTo(p[1]);
        }
        sim.advance(Duration.ofMinutes(1));
        for (int i = 0; i < pairs.size(); i++) {
            SimPeer a = pairs.get(i)[0];
            Instant made = since.get(i);
            assertThat(a.mesh().status().connections())
                    .as("seed %d: pair %d keeps the connection b made", sim.seed(), i)
                    .singleElement()
                    .satisfies(c -> assertThat(c.since()).isEqualTo(made));
            assertThat(a.mesh().status().targets()).singleElement().satisfies(t -> assertThat(t.state())
                    .isEqualTo(MeshStatus.TargetState.CONNECTED));
        }
    }

    private static boolean established(SimPeer p) {
        List<MeshStatus.Connection> c = p.mesh().status().connections();
        return c.size() == 1 && c.getFirst().state() == MeshStatus.ConnectionState.ESTABLISHED;
    }

    @Test
    void theConnectionLimitHoldsAndTheMeshStillConverges() {
        Simulation sim = Simulation.create();
        List<SimPeer> peers = new ArrayList<>();
        // Everyone would connect to all 13 others; the limit of 8 binds everywhere. (A limit so low
        // that the saturated peers form a closed regular graph can strand a latecomer: nobody has
        // room for it. That is inherent to refusing, as in Weave; 8 of 13 leaves room to spare.)
        for (int i = 0; i < 14; i++) {
            peers.add(sim.addPeer(PeerName.of(0x020000000100L + i), c -> c.withConnectionLimit(8)));
        }
        sim.joinRandomly(peers, 2);
        assertThat(sim.runUntil(sim::topologyConverged, Duration.ofMinutes(5)))
                .as("seed %d: everyone knows everyone though nobody may connect to all", sim.seed())
                .isTrue();
        sim.advance(Duration.ofMinutes(1));
        for (SimPeer p : peers) {
            assertThat(p.mesh().status().connections()).as("%s", p).hasSizeLessThanOrEqualTo(8);
            for (SimPeer q : peers) {
                if (p != q) {
                    assertThat(p.mesh().routes().unicastNextHop(q.name()))
                            .as("seed %d: %s has a route to %s (relayed)", sim.seed(), p, q)
                            .isNotNull();
                }
            }
        }
    }

    @Test
    void retriesBackOffByHalfAgainUpToTheCap() {
        Simulation sim = Simulation.create();
        SimPeer a = sim.addPeer(
                PeerName.of(0x020000000200L),
                c -> c.withBackoff(Duration.ofSeconds(2), 1.5, Duration.ofSeconds(30), Duration.ofMinutes(1)));
        a.mesh().connect(List.of("10.99.0.1:6783"), false); // nobody there: every dial times out
        List<Duration> gaps = new ArrayList<>();
        Instant lastFailure = null;
        int lastAttempts = 0;
        for (int i = 0; i < 20_000 && gaps.size() < 12; i++) {
            sim.advance(Duration.ofMillis(100));
            MeshStatus.Target t = a.mesh().status().targets().getFirst();
            if (t.attempts() > lastAttempts && t.nextAttempt() != null) {
                lastAttempts = t.attempts();
                Instant failedAt = sim.now();
                gaps.add(Duration.between(failedAt, t.nextAttempt()));
                lastFailure = failedAt;
            }
        }
        assertThat(lastFailure).isNotNull();
        assertThat(gaps).as("seed %d: waits after each failure", sim.seed()).hasSizeGreaterThanOrEqualTo(10);
        // Jittered uniformly in [i/2, 3i/2) around i = 2 s x 1.5^k, capped at 30 s.
        double interval = 2;
        for (Duration g : gaps) {
            double s = g.toMillis() / 1000.0;
            assertThat(s).as("wait %s for interval %.2f s", g, interval).isBetween(interval / 2 - 0.2, interval * 1.5);
            interval = Math.min(30, interval * 1.5);
        }
        assertThat(gaps.getLast().toMillis() / 1000.0).as("capped").isLessThan(45.0);
    }

    @Test
    void aConnectionToOurselvesIsNeverRetried() {
        Simulation sim = Simulation.create();
        SimPeer a = sim.addPeer();
        a.connectTo(a);
        sim.advance(Duration.ofMinutes(2));
        MeshStatus.Target t = a.mesh().status().targets().getFirst();
        assertThat(t.state()).isEqualTo(MeshStatus.TargetState.FAILED);
        assertThat(t.lastError()).contains("ourself");
        assertThat(t.nextAttempt()).isNull();
        assertThat(a.mesh().status().connections()).isEmpty();
    }
}
