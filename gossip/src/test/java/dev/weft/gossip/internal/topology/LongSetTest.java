package dev.weft.gossip.internal.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link LongSet} against {@link HashSet} under random adds and removes (seed printed). */
class LongSetTest {

    @Test
    void behavesLikeAHashSet() {
        long seed = new SplittableRandom().nextLong();
        System.out.println("LongSetTest seed=" + seed);
        SplittableRandom r = new SplittableRandom(seed);
        LongSet set = new LongSet();
        Set<Long> model = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            long v = 1 + r.nextLong(3_000); // small range: many collisions, removes and re-adds
            if (r.nextInt(3) == 0) {
                assertThat(set.remove(v)).as("seed %d: remove %d", seed, v).isEqualTo(model.remove(v));
            } else {
                assertThat(set.add(v)).as("seed %d: add %d", seed, v).isEqualTo(model.add(v));
            }
            if (i % 1000 == 0) {
                for (long k = 1; k <= 3_000; k++) {
                    assertThat(set.contains(k))
                            .as("seed %d: contains %d", seed, k)
                            .isEqualTo(model.contains(k));
                }
            }
            assertThat(set.size()).isEqualTo(model.size());
        }
        assertThat(set.contains(0)).isFalse();
        set.clear();
        assertThat(set.size()).isZero();
        assertThat(set.contains(1)).isFalse();
    }
}
