package dev.weft.gossip.internal.topology;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decoded records keyed by the identity of their encoded array. Gossip payload arrays are immutable
 * by contract, and the simulator delivers the very same array to every peer, so a thousand
 * simulated peers can share one decoded record per version instead of decoding it a thousand times.
 * In production each received array is fresh, so the router runs without one ({@link #NONE}).
 * Bounded (least recently used entries go); thread-safe.
 */
public interface RecordCache {

    /** No caching. */
    RecordCache NONE = new RecordCache() {
        @Override
        public PeerRecord get(byte[] encoded) {
            return null;
        }

        @Override
        public void put(byte[] encoded, PeerRecord record) {}
    };

    /** The record decoded from this very array, or null. */
    PeerRecord get(byte[] encoded);

    /** Remembers the record decoded from this array. */
    void put(byte[] encoded, PeerRecord record);

    /** A shared cache of at most {@code capacity} records. */
    static RecordCache bounded(int capacity) {
        // byte[] uses identity equals/hashCode, which is exactly the key semantics wanted here.
        Map<byte[], PeerRecord> lru = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<byte[], PeerRecord> eldest) {
                return size() > capacity;
            }
        };
        return new RecordCache() {
            @Override
            public synchronized PeerRecord get(byte[] encoded) {
                return lru.get(encoded);
            }

            @Override
            public synchronized void put(byte[] encoded, PeerRecord record) {
                lru.put(encoded, record);
            }
        };
    }
}
