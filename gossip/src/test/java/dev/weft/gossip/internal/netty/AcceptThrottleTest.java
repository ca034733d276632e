package dev.weft.gossip.internal.netty;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The accept token bucket (mesh: 20, one more every 50 ms), on an injected clock. */
class AcceptThrottleTest {

    private static final long MS = 1_000_000;

    @Test
    void aBurstIsAdmittedThenOnePerTokenInterval() {
        AcceptThrottle t = new AcceptThrottle(20, 50 * MS);
        long now = 1_000 * MS;
        for (int i = 0; i < 20; i++) {
            assertThat(t.tryAcquire(now)).as("burst %d", i).isTrue();
        }
        assertThat(t.tryAcquire(now)).as("the 21st at once is refused").isFalse();
        assertThat(t.tryAcquire(now + 49 * MS)).isFalse();
        assertThat(t.tryAcquire(now + 50 * MS)).isTrue();
        assertThat(t.tryAcquire(now + 50 * MS)).isFalse();
        // A guesser hammering for 10 s gets 20/s, not more.
        int admitted = 0;
        for (long at = now + 51 * MS; at < now + 10_051 * MS; at += MS) {
            if (t.tryAcquire(at)) {
                admitted++;
            }
        }
        assertThat(admitted).isBetween(199, 201);
    }

    @Test
    void idleTimeRefillsOnlyUpToTheBurst() {
        AcceptThrottle t = new AcceptThrottle(20, 50 * MS);
        assertThat(t.tryAcquire(0)).isTrue();
        int admitted = 0;
        while (t.tryAcquire(3_600_000 * MS)) {
            admitted++;
        }
        assertThat(admitted).isEqualTo(20);
    }
}
