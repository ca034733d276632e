package dev.weft.gossip.internal.topology;

import java.util.Arrays;

/**
 * A set of non-zero longs without boxing: one open-addressing {@code long[]} table (linear
 * probing, at most half full). Adding a member that is present only reads: reachability updates
 * add every peer a changed record lists, nearly all of them present already, on every peer of a
 * large mesh. Not thread-safe.
 */
public final class LongSet {

    private long[] keys = new long[16];
    private int size;

    private static int mix(long k) {
        long h = k * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /** Adds {@code v} (non-zero); true if it was absent. */
    public boolean add(long v) {
        if (v == 0) {
            throw new IllegalArgumentException("0 is reserved");
        }
        int mask = keys.length - 1;
        for (int i = mix(v) & mask; ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == v) {
                return false;
            }
            if (k == 0) {
                if ((size + 1) * 2 > keys.length) {
                    grow();
                    return add(v);
                }
                keys[i] = v;
                size++;
                return true;
            }
        }
    }

    public boolean contains(long v) {
        int mask = keys.length - 1;
        for (int i = mix(v) & mask; ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == v) {
                return v != 0;
            }
            if (k == 0) {
                return false;
            }
        }
    }

    /** Removes {@code v}; true if it was present. */
    public boolean remove(long v) {
        if (v == 0) {
            return false;
        }
        int mask = keys.length - 1;
        int i = mix(v) & mask;
        while (keys[i] != v) {
            if (keys[i] == 0) {
                return false;
            }
            i = (i + 1) & mask;
        }
        keys[i] = 0;
        size--;
        // Re-insert the rest of the cluster so no probe sequence is cut short.
        for (int j = (i + 1) & mask; keys[j] != 0; j = (j + 1) & mask) {
            long k = keys[j];
            keys[j] = 0;
            size--;
            add(k);
        }
        return true;
    }

    public int size() {
        return size;
    }

    public void clear() {
        Arrays.fill(keys, 0);
        size = 0;
    }

    private void grow() {
        long[] old = keys;
        keys = new long[old.length * 2];
        size = 0;
        for (long k : old) {
            if (k != 0) {
                add(k);
            }
        }
    }
}
