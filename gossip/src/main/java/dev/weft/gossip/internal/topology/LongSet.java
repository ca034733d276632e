package dev.weft.gossip.internal.topology;

/** A set of non-zero longs without boxing. Not thread-safe. */
public final class LongSet {

    private static final Object PRESENT = new Object();
    private final LongObjectMap<Object> map = new LongObjectMap<>();

    /** Adds {@code v}; true if it was absent. */
    public boolean add(long v) {
        return map.put(v, PRESENT) == null;
    }

    public boolean contains(long v) {
        return map.get(v) != null;
    }

    public boolean remove(long v) {
        return map.remove(v) != null;
    }

    public int size() {
        return map.size();
    }

    public void clear() {
        map.clear();
    }
}
