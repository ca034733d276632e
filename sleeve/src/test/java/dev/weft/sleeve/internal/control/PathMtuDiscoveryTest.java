package dev.weft.sleeve.internal.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class PathMtuDiscoveryTest {
    /** Runs a search over a path that passes packets up to {@code pathMtu}; returns the result and time spent. */
    private static long[] search(int routeMtu, int pathMtu, boolean kernelKnowsLimit) {
        PathMtuDiscovery d = new PathMtuDiscovery();
        int probe = d.start(routeMtu);
        Duration waited = Duration.ZERO;
        int probes = 0;
        while (probe > 0) {
            probes++;
            if (probe <= pathMtu) {
                probe = d.acked(probe);
            } else if (kernelKnowsLimit) {
                probe = d.refused();
            } else {
                waited = waited.plus(d.timeout());
                probe = d.timedOut();
            }
            assertThat(probes).isLessThan(500);
        }
        return new long[] {d.result(), waited.toMillis(), probes};
    }

    @Test
    void theRouteMtuUsuallyPassesAtOnce() {
        long[] r = search(1500, 1500, false);
        assertThat(r[0]).isEqualTo(1500);
        assertThat(r[2]).isEqualTo(1);
    }

    @Test
    void findsABlackHoleBelowTheRouteMtu() {
        long[] r = search(1500, 1400, false);
        assertThat(r[0]).isEqualTo(1400);
        // each failed size costs 8 attempts: 10 + 20 + ... + 1280 ms
        assertThat(r[1] % 2550).isZero();
    }

    @Test
    void aRefusedProbeFailsAtOnce() {
        long[] r = search(9000, 1500, true);
        assertThat(r[0]).isEqualTo(1500);
        assertThat(r[1]).isZero();
    }

    @Test
    void timeoutsDoubleAndAnOldAckIsIgnored() {
        PathMtuDiscovery d = new PathMtuDiscovery();
        assertThat(d.start(1500)).isEqualTo(1500);
        assertThat(d.timeout()).isEqualTo(Duration.ofMillis(10));
        assertThat(d.timedOut()).isEqualTo(1500);
        assertThat(d.timeout()).isEqualTo(Duration.ofMillis(20));
        assertThat(d.acked(1499)).isEqualTo(-1);
        assertThat(d.running()).isTrue();
        assertThat(d.acked(1500)).isEqualTo(-1);
        assertThat(d.running()).isFalse();
        assertThat(d.result()).isEqualTo(1500);
        assertThat(d.timedOut()).isEqualTo(-1);
    }

    @Test
    void neverGoesBelowTheFloor() {
        assertThat(search(1500, 100, false)[0]).isEqualTo(PathMtuDiscovery.FLOOR);
        assertThat(search(400, 100, false)[0]).isEqualTo(PathMtuDiscovery.FLOOR);
    }

    @Property(tries = 200)
    void alwaysFindsThePathMtu(
            @ForAll @IntRange(min = 600, max = 9000) int routeMtu,
            @ForAll @IntRange(min = 552, max = 9000) int pathMtu) {
        long[] r = search(routeMtu, pathMtu, false);
        assertThat(r[0]).isEqualTo(Math.min(routeMtu, pathMtu));
    }
}
