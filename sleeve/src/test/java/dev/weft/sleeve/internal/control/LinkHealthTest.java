package dev.weft.sleeve.internal.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class LinkHealthTest {
    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void establishedOnlyWhenHeartbeatsPassBothWays() {
        LinkHealth h = new LinkHealth();
        h.start(t0);
        assertThat(h.interval()).isEqualTo(LinkHealth.FAST_INTERVAL);
        assertThat(h.state()).isEqualTo("waiting for heartbeats both ways");
        h.heartbeatReceived(t0.plusSeconds(1));
        h.heartbeatReceived(t0.plusSeconds(2));
        assertThat(h.established()).isFalse();
        assertThat(h.becameEstablished()).isFalse();
        assertThat(h.state()).contains("acknowledge");
        h.ackReceived();
        assertThat(h.interval()).isEqualTo(LinkHealth.SLOW_INTERVAL);
        assertThat(h.becameEstablished()).isTrue();
        assertThat(h.becameEstablished()).isFalse();
        assertThat(h.state()).isEqualTo("established");
    }

    @Test
    void anAckAloneIsNotEnough() {
        LinkHealth h = new LinkHealth();
        h.start(t0);
        h.ackReceived();
        assertThat(h.established()).isFalse();
        assertThat(h.state()).isEqualTo("waiting for the peer's heartbeats");
    }

    @Test
    void timesOutSixtySecondsAfterTheLastHeartbeat() {
        LinkHealth h = new LinkHealth();
        h.start(t0);
        assertThat(h.timedOut(t0.plusSeconds(60))).isFalse();
        assertThat(h.timedOut(t0.plusSeconds(61))).isTrue();
        h.heartbeatReceived(t0.plusSeconds(50));
        assertThat(h.timedOut(t0.plusSeconds(100))).isFalse();
        assertThat(h.timedOut(t0.plusSeconds(111))).isTrue();
    }
}
