package dev.weft.gossip.internal.netty;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The seeded mutation engine of the gossip fuzz targets (Jazzer 0.24 cannot instrument Java 25
 * class files, so there is no coverage guidance): valid inputs from a corpus are bit-flipped, have
 * bytes set to boundary values, 16/32-bit length fields overwritten, bytes inserted, deleted,
 * truncated, extended or spliced with another input. One to four mutations per input.
 */
final class Mutator {

    private static final int[] INTERESTING = {0, 1, 0x7f, 0x80, 0xff, 0x40, 0x20, 0x10, 0x08, 0x04, 0x02};
    private static final int[] INTERESTING_16 = {0, 1, 0x7fff, 0x8000, 0xffff, 0x0100, 0x0fff, 0x1000, 64, 65, 255, 256
    };
    private static final int[] INTERESTING_32 = {0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x00800000, 0x00800410};

    private final SplittableRandom random;
    private final List<byte[]> corpus;

    Mutator(long seed, List<byte[]> corpus) {
        this.random = new SplittableRandom(seed);
        this.corpus = corpus;
    }

    /** A fresh mutant of a random corpus entry. */
    byte[] next() {
        byte[] b = corpus.get(random.nextInt(corpus.size())).clone();
        int rounds = 1 + random.nextInt(4);
        for (int i = 0; i < rounds; i++) {
            b = mutate(b);
        }
        return b;
    }

    private byte[] mutate(byte[] b) {
        if (b.length == 0) {
            return new byte[] {(byte) random.nextInt(256)};
        }
        int at = random.nextInt(b.length);
        switch (random.nextInt(9)) {
            case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
            case 1 -> b[at] = (byte) INTERESTING[random.nextInt(INTERESTING.length)];
            case 2 -> {
                if (b.length >= 2) {
                    int p = random.nextInt(b.length - 1);
                    int v = INTERESTING_16[random.nextInt(INTERESTING_16.length)];
                    b[p] = (byte) (v >>> 8);
                    b[p + 1] = (byte) v;
                }
            }
            case 3 -> {
                if (b.length >= 4) {
                    int p = random.nextInt(b.length - 3);
                    int v = INTERESTING_32[random.nextInt(INTERESTING_32.length)];
                    for (int k = 0; k < 4; k++) {
                        b[p + k] = (byte) (v >>> (24 - 8 * k));
                    }
                }
            }
            case 4 -> b = Arrays.copyOf(b, random.nextInt(b.length)); // truncate
            case 5 -> { // extend with random bytes
                int n = 1 + random.nextInt(16);
                byte[] c = Arrays.copyOf(b, b.length + n);
                for (int k = b.length; k < c.length; k++) {
                    c[k] = (byte) random.nextInt(256);
                }
                b = c;
            }
            case 6 -> { // insert a byte
                byte[] c = new byte[b.length + 1];
                System.arraycopy(b, 0, c, 0, at);
                c[at] = (byte) random.nextInt(256);
                System.arraycopy(b, at, c, at + 1, b.length - at);
                b = c;
            }
            case 7 -> { // delete a run
                int n = 1 + random.nextInt(Math.min(8, b.length - at));
                byte[] c = new byte[b.length - n];
                System.arraycopy(b, 0, c, 0, at);
                System.arraycopy(b, at + n, c, at, b.length - at - n);
                b = c;
            }
            default -> { // splice: our head, another input's tail
                byte[] o = corpus.get(random.nextInt(corpus.size()));
                int from = random.nextInt(o.length + 1);
                byte[] c = Arrays.copyOf(b, at + (o.length - from));
                System.arraycopy(o, from, c, at, o.length - from);
                b = c;
            }
        }
        return b;
    }
}
