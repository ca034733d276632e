package dev.weft.gossip.internal.topology;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * An open-addressing map from non-zero {@code long} keys (peer names) to objects, so route and
 * reachability searches look peers up without boxing. Not thread-safe (actor-confined).
 */
public final class LongObjectMap<V> {

    private long[] keys;
    private Object[] values;
    private int size;

    public LongObjectMap() {
        keys = new long[16];
        values = new Object[16];
    }

    private static int mix(long k) {
        long h = k * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /** The value for {@code key} (non-zero), or null. */
    @SuppressWarnings("unchecked")
    public V get(long key) {
        int mask = keys.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                return (V) values[i];
            }
            if (k == 0) {
                return null;
            }
        }
    }

    public boolean containsKey(long key) {
        return get(key) != null;
    }

    /** Associates {@code value} (non-null) with {@code key} (non-zero); returns the previous value. */
    @SuppressWarnings("unchecked")
    public V put(long key, V value) {
        if (key == 0 || value == null) {
            throw new IllegalArgumentException("key 0 and null values are reserved");
        }
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                V old = (V) values[i];
                values[i] = value;
                return old;
            }
            if (k == 0) {
                keys[i] = key;
                values[i] = value;
                size++;
                return null;
            }
        }
    }

    /** Removes {@code key}; returns its value or null. */
    @SuppressWarnings("unchecked")
    public V remove(long key) {
        int mask = keys.length - 1;
        int i = mix(key) & mask;
        while (keys[i] != key) {
            if (keys[i] == 0) {
                return null;
            }
            i = (i + 1) & mask;
        }
        V old = (V) values[i];
        keys[i] = 0;
        values[i] = null;
        size--;
        // Re-insert the rest of the cluster (backward-shift deletion done simply).
        for (int j = (i + 1) & mask; keys[j] != 0; j = (j + 1) & mask) {
            long k = keys[j];
            Object v = values[j];
            keys[j] = 0;
            values[j] = null;
            size--;
            put(k, (V) v);
        }
        return old;
    }

    public int size() {
        return size;
    }

    public void clear() {
        Arrays.fill(keys, 0);
        Arrays.fill(values, null);
        size = 0;
    }

    /** Calls {@code action} for each value, in no particular order. Do not modify the map meanwhile. */
    @SuppressWarnings("unchecked")
    public void forEachValue(Consumer<V> action) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != 0) {
                action.accept((V) values[i]);
            }
        }
    }

    /** The keys, sorted ascending. */
    public long[] sortedKeys() {
        long[] out = new long[size];
        int n = 0;
        for (long k : keys) {
            if (k != 0) {
                out[n++] = k;
            }
        }
        Arrays.sort(out);
        return out;
    }

    @SuppressWarnings("unchecked")
    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new Object[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                put(oldKeys[i], (V) oldValues[i]);
            }
        }
    }
}
