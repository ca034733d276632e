package dev.weft.router.internal.dataplane;

import java.util.function.LongPredicate;

/**
 * Which peer owns which MAC address, learnt from the traffic itself (Weave's MAC cache): source
 * addresses of frames captured on the local bridge belong to this peer, those of frames arriving
 * from the overlay to the peer where they entered the mesh. Entries expire after {@code maxAge}
 * without traffic; {@link #sweep} removes them.
 *
 * <p>Thread-safe (the capture and receive threads both learn): a small open-addressing table of
 * primitive arrays under one lock, so a lookup allocates nothing. Times are nanoseconds from the
 * caller's clock.
 */
public final class MacTable {
    /** {@link #learnLocal} results. */
    public static final int LEARNT = 0;

    public static final int CONFLICT = 1;

    private final long maxAgeNanos;
    private final long conflictHoldNanos;
    private long[] macs = new long[256];
    private long[] peers = new long[256];
    private long[] seen = new long[256];
    private int size;
    private int tombstones;

    private static final long EMPTY = -1;
    private static final long TOMBSTONE = -2;

    /**
     * @param maxAgeNanos an entry without traffic for this long is forgotten (Weave: 10 minutes)
     * @param conflictHoldNanos a local frame whose source MAC was seen at another peer within this
     *     long is treated as a loop and dropped; after it, the MAC moves to us (a pod that moved)
     */
    public MacTable(long maxAgeNanos, long conflictHoldNanos) {
        this.maxAgeNanos = maxAgeNanos;
        this.conflictHoldNanos = conflictHoldNanos;
        java.util.Arrays.fill(macs, EMPTY);
    }

    /**
     * Learns that {@code mac} was seen on the local bridge of {@code self}.
     *
     * @return {@link #LEARNT}, or {@link #CONFLICT} if another peer owned it very recently (the
     *     frame is probably one of ours coming back)
     */
    public synchronized int learnLocal(long mac, long self, long now) {
        int i = find(mac);
        if (i >= 0) {
            if (peers[i] != self && now - seen[i] < conflictHoldNanos) {
                return CONFLICT;
            }
            peers[i] = self;
            seen[i] = now;
            return LEARNT;
        }
        insert(mac, self, now);
        return LEARNT;
    }

    /** Learns that {@code mac} lives at {@code peer} (a frame from the overlay); always wins. */
    public synchronized void learnRemote(long mac, long peer, long now) {
        int i = find(mac);
        if (i >= 0) {
            peers[i] = peer;
            seen[i] = now;
        } else {
            insert(mac, peer, now);
        }
    }

    /** The owner of {@code mac}, or 0 if unknown or expired at {@code now}. */
    public synchronized long owner(long mac, long now) {
        int i = find(mac);
        if (i < 0 || now - seen[i] > maxAgeNanos) {
            return 0;
        }
        return peers[i];
    }

    /** Removes expired entries and those of peers {@code gone} says are gone. Returns how many. */
    public synchronized int sweep(long now, LongPredicate gone) {
        int removed = 0;
        for (int i = 0; i < macs.length; i++) {
            if (macs[i] >= 0 && (now - seen[i] > maxAgeNanos || gone.test(peers[i]))) {
                macs[i] = TOMBSTONE;
                size--;
                tombstones++;
                removed++;
            }
        }
        return removed;
    }

    public synchronized int size() {
        return size;
    }

    private int find(long mac) {
        int mask = macs.length - 1;
        for (int i = index(mac, mask); ; i = (i + 1) & mask) {
            long m = macs[i];
            if (m == mac) {
                return i;
            }
            if (m == EMPTY) {
                return -1;
            }
        }
    }

    private void insert(long mac, long peer, long now) {
        if ((size + tombstones + 1) * 2 > macs.length) {
            rehash(size * 4 > macs.length ? macs.length * 2 : macs.length);
        }
        int mask = macs.length - 1;
        int i = index(mac, mask);
        while (macs[i] >= 0) {
            i = (i + 1) & mask;
        }
        if (macs[i] == TOMBSTONE) {
            tombstones--;
        }
        macs[i] = mac;
        peers[i] = peer;
        seen[i] = now;
        size++;
    }

    private void rehash(int capacity) {
        long[] om = macs;
        long[] op = peers;
        long[] os = seen;
        macs = new long[capacity];
        java.util.Arrays.fill(macs, EMPTY);
        peers = new long[capacity];
        seen = new long[capacity];
        size = 0;
        tombstones = 0;
        for (int i = 0; i < om.length; i++) {
            if (om[i] >= 0) {
                insert(om[i], op[i], os[i]);
            }
        }
    }

    private static int index(long mac, int mask) {
        return (int) ((mac * 0x9E3779B97F4A7C15L) >>> 40) & mask;
    }
}
