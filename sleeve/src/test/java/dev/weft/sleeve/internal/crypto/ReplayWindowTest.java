package dev.weft.sleeve.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ReplayWindowTest {
    private final ReplayWindow w = new ReplayWindow();

    @Test
    void acceptsEachNumberOnce() {
        assertThat(w.accept(0)).isTrue();
        assertThat(w.accept(0)).isFalse();
        assertThat(w.accept(1)).isTrue();
        assertThat(w.accept(5)).isTrue();
        assertThat(w.accept(3)).isTrue();
        assertThat(w.accept(3)).isFalse();
        assertThat(w.highest()).isEqualTo(5);
    }

    @Test
    void mayAcceptChangesNothing() {
        assertThat(w.mayAccept(10)).isTrue();
        assertThat(w.mayAccept(10)).isTrue();
        assertThat(w.highest()).isEqualTo(-1);
    }

    @Test
    void rejectsNumbersBelowTheWindow() {
        w.accept(100_000);
        assertThat(w.accept(100_000 - ReplayWindow.WINDOW)).isFalse();
        assertThat(w.accept(100_000 - 100)).isTrue();
    }

    @Test
    void aJumpForgetsTheOldRing() {
        for (int i = 0; i < 200; i++) {
            w.accept(i);
        }
        w.accept(1_000_000);
        // numbers just below the jump were never seen: still acceptable
        assertThat(w.accept(1_000_000 - 1)).isTrue();
        assertThat(w.accept(1_000_000 - 5000)).isTrue();
        assertThat(w.accept(1_000_000 - 5000)).isFalse();
    }

    @Test
    void negativeNumbersAreNeverAccepted() {
        assertThat(w.accept(-1)).isFalse();
        assertThat(w.accept(Long.MIN_VALUE)).isFalse();
    }

    /** Against a model: accepted iff never seen and within WINDOW - 64 of the highest accepted. */
    @Property(tries = 300)
    void behavesLikeTheModel(@ForAll @Size(max = 400) java.util.List<@LongRange(min = 0, max = 20_000) Long> seqs) {
        ReplayWindow window = new ReplayWindow();
        Set<Long> seen = new HashSet<>();
        long highest = -1;
        for (long s : seqs) {
            boolean expected = !seen.contains(s) && (s > highest || highest - s < ReplayWindow.WINDOW - 64);
            assertThat(window.accept(s))
                    .as("seq %d after highest %d", s, highest)
                    .isEqualTo(expected);
            if (expected) {
                seen.add(s);
                highest = Math.max(highest, s);
            }
        }
    }
}
