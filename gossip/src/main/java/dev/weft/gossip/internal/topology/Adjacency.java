package dev.weft.gossip.internal.topology;

import java.util.Arrays;

/**
 * The connections of one {@link PeerRecord} as sorted arrays, for route and reachability searches:
 * parsed once per record version and shared by everything that reads that version. Immutable.
 */
public final class Adjacency {

    private final long[] names;
    private final boolean[] established;

    private Adjacency(long[] names, boolean[] established) {
        this.names = names;
        this.established = established;
    }

    static Adjacency of(PeerRecord record) {
        int n = record.connectionCount();
        long[] packed = new long[n];
        int[] i = {0};
        // Pack name (48 bits) and the established flag (bit 0 after a shift) to sort both together.
        record.forEachConnection((remote, outbound, est) -> packed[i[0]++] = (remote << 1) | (est ? 1 : 0));
        Arrays.sort(packed);
        long[] names = new long[n];
        boolean[] established = new boolean[n];
        for (int k = 0; k < n; k++) {
            names[k] = packed[k] >>> 1;
            established[k] = (packed[k] & 1) != 0;
        }
        return new Adjacency(names, established);
    }

    /** Number of connections. */
    public int size() {
        return names.length;
    }

    /** Remote name of connection {@code i}, ascending in {@code i}. */
    public long name(int i) {
        return names[i];
    }

    /** Whether connection {@code i} is established. */
    public boolean established(int i) {
        return established[i];
    }

    /** Index of the connection to {@code name}, or -1. */
    public int indexOf(long name) {
        int i = Arrays.binarySearch(names, name);
        return i >= 0 ? i : -1;
    }

    /** True if this lists a connection to {@code name} (and it is established, if required). */
    public boolean connectsTo(long name, boolean requireEstablished) {
        int i = indexOf(name);
        return i >= 0 && (!requireEstablished || established[i]);
    }

    /** True if {@code other} lists the same connections with the same established flags. */
    public boolean sameAs(Adjacency other) {
        return other == this || (Arrays.equals(names, other.names) && Arrays.equals(established, other.established));
    }

    /** True if some connection listed in {@code previous} is absent here. */
    public boolean lostAnyOf(Adjacency previous) {
        int i = 0;
        int j = 0;
        while (j < previous.names.length) {
            if (i >= names.length || names[i] > previous.names[j]) {
                return true;
            }
            if (names[i] == previous.names[j]) {
                j++;
            }
            i++;
        }
        return false;
    }
}
