package dev.weft.sleeve.api;

import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * An immutable map from 48-bit peer names (non-zero longs) to values, with open addressing, so
 * the data-plane threads look peers up without boxing or locks. Writers build a new map (rare:
 * when a connection or a route changes) and publish it through a volatile field.
 */
public final class PeerMap<V> {
    private static final PeerMap<?> EMPTY = new PeerMap<>(new long[2], new Object[2], 0);

    private final long[] keys;
    private final Object[] values;
    private final int size;

    private PeerMap(long[] keys, Object[] values, int size) {
        this.keys = keys;
        this.values = values;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    public static <V> PeerMap<V> empty() {
        return (PeerMap<V>) EMPTY;
    }

    /** The value for {@code peer}, or null. Allocates nothing. */
    @SuppressWarnings("unchecked")
    public V get(long peer) {
        int mask = keys.length - 1;
        for (int i = index(peer, mask); ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == peer) {
                return (V) values[i];
            }
            if (k == 0) {
                return null;
            }
        }
    }

    public int size() {
        return size;
    }

    /** A copy with {@code peer} mapped to {@code value} (or removed, if value is null). */
    public PeerMap<V> with(long peer, V value) {
        if (peer == 0) {
            throw new IllegalArgumentException("peer name 0 is reserved");
        }
        Builder<V> b = new Builder<>();
        forEach((k, v) -> {
            if (k != peer) {
                b.put(k, v);
            }
        });
        if (value != null) {
            b.put(peer, value);
        }
        return b.build();
    }

    /** Calls {@code action} for every entry (allocates; not for the hot path). */
    @SuppressWarnings("unchecked")
    public void forEach(BiConsumer<Long, V> action) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != 0) {
                action.accept(keys[i], (V) values[i]);
            }
        }
    }

    private static int index(long peer, int mask) {
        long h = peer * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }

    /** Collects entries, then {@link #build()}s an immutable map. */
    public static final class Builder<V> {
        private long[] keys = new long[16];
        private Object[] values = new Object[16];
        private int size;

        public Builder<V> put(long peer, V value) {
            if (peer == 0) {
                throw new IllegalArgumentException("peer name 0 is reserved");
            }
            for (int i = 0; i < size; i++) {
                if (keys[i] == peer) {
                    values[i] = value;
                    return this;
                }
            }
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            keys[size] = peer;
            values[size] = value;
            size++;
            return this;
        }

        public PeerMap<V> build() {
            int cap = Integer.highestOneBit(Math.max(2, size * 3)) << 1;
            long[] k = new long[cap];
            Object[] v = new Object[cap];
            int mask = cap - 1;
            for (int j = 0; j < size; j++) {
                int i = index(keys[j], mask);
                while (k[i] != 0) {
                    i = (i + 1) & mask;
                }
                k[i] = keys[j];
                v[i] = values[j];
            }
            return new PeerMap<>(k, v, size);
        }
    }
}
