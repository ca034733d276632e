package dev.weft.fastpath.internal.health;

import static dev.weft.fastpath.internal.health.PathHealth.State.*;
import static dev.weft.fastpath.internal.health.PathHealth.Transition.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PathHealthTest {
    private static final Duration FAST = Duration.ofMillis(500);
    private static final Duration SLOW = Duration.ofSeconds(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private final PathHealth h = new PathHealth(FAST, SLOW, TIMEOUT);
    private Instant now = Instant.parse("2025-01-01T00:00:00Z");

    private long send() {
        return h.nextSequence();
    }

    private void at(long millis) {
        now = now.plusMillis(millis);
    }

    @Test
    void healthyOnlyOnceBothDirectionsWork() {
        h.start(now);
        assertThat(h.state()).isEqualTo(PENDING);
        assertThat(h.interval()).isEqualTo(FAST);
        long s = send();
        h.ackReceived(s, now);
        assertThat(h.evaluate(now)).isEqualTo(NONE);
        assertThat(h.reason()).contains("no heartbeat received yet");
        h.heartbeatReceived(now);
        assertThat(h.evaluate(now)).isEqualTo(BECAME_HEALTHY);
        assertThat(h.state()).isEqualTo(HEALTHY);
        assertThat(h.reason()).isEmpty();
        assertThat(h.interval()).isEqualTo(SLOW);
    }

    @Test
    void pendingSaysHowLongItHasWaited() {
        h.start(now);
        send();
        at(7000);
        assertThat(h.evaluate(now)).isEqualTo(NONE);
        assertThat(h.reason()).isEqualTo("no heartbeat acknowledged yet after 7.0 s");
    }

    @Test
    void silenceInEitherDirectionForTheTimeoutFallsBackWithTheReason() {
        becomeHealthy();
        // acknowledgements stop, heartbeats from the peer keep coming
        for (int i = 0; i < 5; i++) {
            at(1000);
            send();
            h.heartbeatReceived(now);
            assertThat(h.evaluate(now)).isEqualTo(NONE);
        }
        at(1000);
        assertThat(h.evaluate(now)).isEqualTo(BECAME_UNHEALTHY);
        assertThat(h.reason()).isEqualTo("no heartbeat acknowledged for 6.0 s: frames to the peer are lost");
        assertThat(h.interval()).isEqualTo(FAST);
        assertThat(h.failures()).isEqualTo(1);

        PathHealth other = new PathHealth(FAST, SLOW, TIMEOUT);
        other.start(now);
        long s = other.nextSequence();
        other.ackReceived(s, now);
        other.heartbeatReceived(now);
        other.evaluate(now);
        Instant later = now.plusSeconds(3);
        other.ackReceived(other.nextSequence(), later);
        assertThat(other.evaluate(now.plusMillis(5500))).isEqualTo(BECAME_UNHEALTHY);
        assertThat(other.reason()).startsWith("no heartbeat received for 5.5 s");
    }

    @Test
    void recoveryNeedsTwoFreshAcknowledgementsAndAHeartbeat() {
        becomeHealthy();
        long stale = send();
        at(6000);
        assertThat(h.evaluate(now)).isEqualTo(BECAME_UNHEALTHY);
        h.ackReceived(stale, now); // sent before the failure: does not count towards recovery
        h.heartbeatReceived(now);
        assertThat(h.evaluate(now)).isEqualTo(NONE);
        assertThat(h.reason()).isEqualTo("recovering: 0 of 2 heartbeats acknowledged, 1 received");
        h.ackReceived(send(), now);
        assertThat(h.evaluate(now)).isEqualTo(NONE);
        assertThat(h.reason()).startsWith("recovering: 1 of 2");
        at(500);
        h.ackReceived(send(), now);
        assertThat(h.evaluate(now)).isEqualTo(BECAME_HEALTHY);
        assertThat(h.state()).isEqualTo(HEALTHY);
    }

    @Test
    void staleDuplicateAndUnsentAcknowledgementsAreIgnored() {
        h.start(now);
        long a = send();
        long b = send();
        h.ackReceived(b, now);
        h.ackReceived(a, now); // older than the last acknowledged
        h.ackReceived(b, now); // duplicate
        h.ackReceived(b + 5, now); // never sent
        assertThat(h.acksReceived()).isEqualTo(1);
    }

    @Test
    void timingsAreChecked() {
        assertThatThrownBy(() -> new PathHealth(Duration.ZERO, SLOW, TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PathHealth(SLOW, FAST, TIMEOUT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PathHealth(FAST, SLOW, SLOW)).isInstanceOf(IllegalArgumentException.class);
    }

    private void becomeHealthy() {
        h.start(now);
        h.ackReceived(send(), now);
        h.heartbeatReceived(now);
        assertThat(h.evaluate(now)).isEqualTo(BECAME_HEALTHY);
    }
}
