package dev.weft.gossip.api;

/**
 * A 12-bit peer identifier (0..4095) used by the kernel fast path, which has only 12 bits per peer
 * in a VXLAN VNI. Chosen at random by each peer; when two peers pick the same one, the lower
 * {@link PeerName} keeps it and the other picks again (resolved by topology gossip). Immutable.
 */
public record ShortId(int value) {

    /** Number of distinct short IDs. */
    public static final int COUNT = 4096;

    /**
     * @throws IllegalArgumentException when outside 0..4095
     */
    public ShortId {
        if (value < 0 || value >= COUNT) {
            throw new IllegalArgumentException("a short ID has 12 bits (0..4095): " + value);
        }
    }

    /** The short ID with this value. */
    public static ShortId of(int value) {
        return new ShortId(value);
    }

    @Override
    public String toString() {
        return Integer.toString(value);
    }
}
