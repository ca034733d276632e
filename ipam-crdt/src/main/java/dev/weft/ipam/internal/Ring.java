package dev.weft.ipam.internal;

import dev.weft.gossip.api.PeerName;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The address ring: an immutable, sorted list of {@link Entry tokens} covering the universe
 * {@code [start, end)}, the peers it was seeded with, and the peers removed by rmpeer.
 *
 * <p>The range of entry {@code i} runs from its token to the next token (the last one to
 * {@code end}); the first token is always {@code start}, so there is no wrap-around. Tokens are
 * never deleted, only created (by the owner of the range they split) and reassigned.
 *
 * <p>{@link #join} is the CRDT join: the union of tokens, the {@link Entry#ORDER greater} entry per
 * token, the union of removed peers. It is commutative, associative and idempotent (property-tested).
 * Whether a join is <em>acceptable</em> for this peer (it must not take away space we allocated in)
 * is decided by the caller, which knows the allocations.
 */
public final class Ring {

    /** Most entries a ring may have (bounds a decoded message: ~32 bytes each, ~3 MiB). */
    public static final int MAX_ENTRIES = 100_000;

    /** Most seeds or removed peers a ring may name. */
    public static final int MAX_PEERS = 10_000;

    private final long start;
    private final long end;
    private final Entry[] entries;
    private final List<PeerName> seeds;
    private final List<PeerName> removed;

    private Ring(long start, long end, Entry[] entries, List<PeerName> seeds, List<PeerName> removed) {
        this.start = start;
        this.end = end;
        this.entries = entries;
        this.seeds = seeds;
        this.removed = removed;
    }

    /** An unseeded ring over {@code [start, end)}. */
    public static Ring empty(long start, long end) {
        return new Ring(start, end, new Entry[0], List.of(), List.of());
    }

    /**
     * A ring from its parts, checked: the way every decoded or loaded ring is built.
     *
     * @throws InvalidRingException naming the first broken invariant
     */
    public static Ring of(long start, long end, List<Entry> entries, List<PeerName> seeds, List<PeerName> removed)
            throws InvalidRingException {
        Ring r = new Ring(start, end, entries.toArray(new Entry[0]), List.copyOf(seeds), List.copyOf(removed));
        r.check();
        return r;
    }

    /**
     * Checks every invariant: universe within IPv4, tokens sorted and distinct, first token =
     * start, all tokens inside the universe, free counts within the universe, seeds and removed
     * sorted and distinct, sizes bounded.
     */
    public void check() throws InvalidRingException {
        if (start < 0 || end > (1L << 32) || start >= end) {
            throw new InvalidRingException("ring universe [" + start + ", " + end + ") is not a range of IPv4");
        }
        if (entries.length > MAX_ENTRIES) {
            throw new InvalidRingException("ring has " + entries.length + " entries, more than " + MAX_ENTRIES);
        }
        if (entries.length > 0 && entries[0].token() != start) {
            throw new InvalidRingException(
                    "ring's first token " + fmt(entries[0].token()) + " is not the start of the range " + fmt(start));
        }
        for (int i = 0; i < entries.length; i++) {
            Entry e = entries[i];
            if (e == null || e.owner() == null) {
                throw new InvalidRingException("ring entry " + i + " has no owner");
            }
            if (e.token() < start || e.token() >= end) {
                throw new InvalidRingException("ring token " + fmt(e.token()) + " is outside the range");
            }
            if (i > 0 && e.token() <= entries[i - 1].token()) {
                throw new InvalidRingException("ring tokens are not sorted and distinct at " + fmt(e.token()));
            }
            if (e.version() < 0 || e.freeStamp() < 0 || e.free() < 0 || e.free() > end - start) {
                throw new InvalidRingException(
                        "ring entry at " + fmt(e.token()) + " has a negative or impossible" + " version/free count");
            }
        }
        checkSortedDistinct(seeds, "seeds");
        checkSortedDistinct(removed, "removed peers");
    }

    private static void checkSortedDistinct(List<PeerName> names, String what) throws InvalidRingException {
        if (names.size() > MAX_PEERS) {
            throw new InvalidRingException("ring names " + names.size() + " " + what + ", more than " + MAX_PEERS);
        }
        for (int i = 1; i < names.size(); i++) {
            if (names.get(i).compareTo(names.get(i - 1)) <= 0) {
                throw new InvalidRingException("ring " + what + " are not sorted and distinct");
            }
        }
    }

    /**
     * Seeds a ring for {@code peers} (Weave's ClaimForPeers): the universe is halved recursively,
     * the first half to the first half of the sorted peers, until one peer per piece, so pieces are
     * CIDR-aligned. Deterministic: every peer given the same names builds the same ring.
     */
    public static Ring seed(long start, long end, Collection<PeerName> peers) {
        List<PeerName> sorted = new ArrayList<>(new TreeSet<>(peers));
        if (sorted.isEmpty()) {
            throw new IllegalArgumentException("cannot seed a ring for no peers");
        }
        List<Entry> out = new ArrayList<>();
        split(start, end, sorted, out);
        return new Ring(start, end, out.toArray(new Entry[0]), List.copyOf(sorted), List.of());
    }

    private static void split(long from, long to, List<PeerName> peers, List<Entry> out) {
        if (peers.size() == 1 || to - from < 2) {
            out.add(new Entry(from, peers.getFirst(), 1, 0, to - from));
            return;
        }
        long mid = from + (to - from) / 2;
        int half = peers.size() / 2;
        split(from, mid, peers.subList(0, half), out);
        split(mid, to, peers.subList(half, peers.size()), out);
    }

    /**
     * The join of two rings over the same universe.
     *
     * @throws InvalidRingException if the universes differ, or both rings are seeded and by
     *     different peers (two clusters seeded apart: they cannot be merged)
     */
    public Ring join(Ring other) throws InvalidRingException {
        if (other.start != start || other.end != end) {
            throw new InvalidRingException("ring is for range " + fmt(other.start) + "-" + fmt(other.end - 1)
                    + " but ours is " + fmt(start) + "-" + fmt(end - 1) + ": peers were started with different"
                    + " --ipalloc-range");
        }
        if (!seeds.isEmpty() && !other.seeds.isEmpty() && !seeds.equals(other.seeds)) {
            throw new InvalidRingException("ring was seeded by different peers " + other.seeds + " (ours: " + seeds
                    + "): two clusters were seeded apart and cannot be merged");
        }
        Entry[] merged = new Entry[entries.length + other.entries.length];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < entries.length || j < other.entries.length) {
            if (j == other.entries.length || (i < entries.length && entries[i].token() < other.entries[j].token())) {
                merged[n++] = entries[i++];
            } else if (i == entries.length || other.entries[j].token() < entries[i].token()) {
                merged[n++] = other.entries[j++];
            } else {
                merged[n++] = Entry.max(entries[i++], other.entries[j++]);
            }
        }
        List<PeerName> s = seeds.isEmpty() ? other.seeds : seeds;
        return new Ring(start, end, Arrays.copyOf(merged, n), s, union(removed, other.removed));
    }

    private static List<PeerName> union(List<PeerName> a, List<PeerName> b) {
        if (b.isEmpty() || a.equals(b)) {
            return a;
        }
        if (a.isEmpty()) {
            return b;
        }
        TreeSet<PeerName> u = new TreeSet<>(a);
        u.addAll(b);
        return List.copyOf(u);
    }

    /**
     * Gives {@code [from, to)} to {@code recipient} (a donation, or a single claimed address). The
     * caller must own all of it; version numbers of every touched token rise by one.
     */
    public Ring grant(long from, long to, PeerName recipient, PeerName me) {
        if (from < start || to > end || from >= to) {
            throw new IllegalArgumentException("grant of [" + fmt(from) + ", " + fmt(to) + ") outside the ring");
        }
        for (long a = from; a < to; ) {
            int k = indexOf(a);
            if (!entries[k].owner().equals(me)) {
                throw new IllegalStateException("grant of " + fmt(a) + " which " + me + " does not own");
            }
            a = rangeEnd(k);
        }
        List<Entry> out = new ArrayList<>(entries.length + 2);
        for (int k = 0; k < entries.length; k++) {
            Entry e = entries[k];
            long rEnd = rangeEnd(k);
            if (rEnd <= from || e.token() >= to) {
                out.add(e);
                continue;
            }
            // This range overlaps [from, to): split it into up to three pieces.
            long v = e.version() + 1;
            long stamp = e.freeStamp() + 1;
            if (e.token() < from) {
                out.add(e); // the part below `from` keeps its token; its free count is re-reported by the owner
            }
            long pieceStart = Math.max(e.token(), from);
            long pieceEnd = Math.min(rEnd, to);
            out.add(new Entry(pieceStart, recipient, v, stamp, pieceEnd - pieceStart));
            if (rEnd > to) {
                out.add(new Entry(to, e.owner(), v, stamp, 0));
            }
        }
        return new Ring(start, end, out.toArray(new Entry[0]), seeds, removed);
    }

    /** Every entry owned by {@code from} goes to {@code to}, one version up (graceful leave). */
    public Ring transferAll(PeerName from, PeerName to) {
        Entry[] out = entries.clone();
        for (int k = 0; k < out.length; k++) {
            if (out[k].owner().equals(from)) {
                out[k] = out[k].withOwner(to, out[k].version() + 1);
            }
        }
        return new Ring(start, end, out, seeds, removed);
    }

    /** This ring with {@code peer} marked removed (rmpeer). */
    public Ring withRemoved(PeerName peer) {
        return new Ring(start, end, entries, seeds, union(removed, List.of(peer)));
    }

    /**
     * The heir of entry {@code k}'s range if its owner is removed: the owner of the nearest range
     * below it (wrapping from the first range to the last) whose owner is not removed; null when
     * every range is owned by removed peers.
     *
     * <p>Why this is deterministic: "owner of the address just below the range" changes only when
     * that owner itself gives the address away, so at any moment at most one live peer believes it
     * is the heir, and every peer that knows the removal computes the same heir from the same ring.
     */
    public PeerName heir(int k) {
        int j = k;
        for (int steps = 0; steps < entries.length; steps++) {
            j = j == 0 ? entries.length - 1 : j - 1;
            if (j == k) {
                return null;
            }
            PeerName p = entries[j].owner();
            if (Collections.binarySearch(removed, p) < 0) {
                return p;
            }
        }
        return null;
    }

    /**
     * Takes over, for {@code me}, every range of a removed peer whose {@link #heir} is {@code me}:
     * owner = me, version + 1. Returns this ring unchanged if there is none.
     */
    public Ring takeOverRemoved(PeerName me) {
        if (removed.isEmpty() || isRemoved(me)) {
            return this;
        }
        Entry[] out = null;
        for (int k = 0; k < entries.length; k++) {
            if (isRemoved(entries[k].owner()) && me.equals(heir(k))) {
                if (out == null) {
                    out = entries.clone();
                }
                Entry e = entries[k];
                out[k] = new Entry(e.token(), me, e.version() + 1, e.freeStamp() + 1, rangeEnd(k) - e.token());
            }
        }
        return out == null ? this : new Ring(start, end, out, seeds, removed);
    }

    /**
     * This ring with {@code me}'s free counts replaced by {@code freeOf(k)} where they differ, each
     * change with a new free stamp; the same ring when nothing changed.
     */
    public Ring withFreeCounts(PeerName me, java.util.function.IntToLongFunction freeOf) {
        Entry[] out = null;
        for (int k = 0; k < entries.length; k++) {
            Entry e = entries[k];
            if (e.owner().equals(me)) {
                long f = freeOf.applyAsLong(k);
                if (f != e.free()) {
                    if (out == null) {
                        out = entries.clone();
                    }
                    out[k] = e.withFree(f, e.freeStamp() + 1);
                }
            }
        }
        return out == null ? this : new Ring(start, end, out, seeds, removed);
    }

    /** Total addresses owned per peer. */
    public Map<PeerName, Long> addressesByOwner() {
        Map<PeerName, Long> m = new HashMap<>();
        for (int k = 0; k < entries.length; k++) {
            m.merge(entries[k].owner(), rangeEnd(k) - entries[k].token(), Long::sum);
        }
        return m;
    }

    /** Total free addresses (advisory) reported per peer. */
    public Map<PeerName, Long> freeByOwner() {
        Map<PeerName, Long> m = new HashMap<>();
        for (int k = 0; k < entries.length; k++) {
            m.merge(entries[k].owner(), free(k), Long::sum);
        }
        return m;
    }

    /** Index of the entry whose range holds {@code addr}; -1 if the ring is empty or addr is outside. */
    public int indexOf(long addr) {
        if (entries.length == 0 || addr < start || addr >= end) {
            return -1;
        }
        int lo = 0;
        int hi = entries.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (entries[mid].token() <= addr) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** Owner of {@code addr}, or null when the ring is empty or addr is outside. */
    public PeerName ownerOf(long addr) {
        int k = indexOf(addr);
        return k < 0 ? null : entries[k].owner();
    }

    /** One past the last address of entry {@code k}'s range. */
    public long rangeEnd(int k) {
        return k + 1 < entries.length ? entries[k + 1].token() : end;
    }

    /** Entry {@code k}'s free count, never more than its range size (reports are advisory). */
    public long free(int k) {
        return Math.min(entries[k].free(), rangeEnd(k) - entries[k].token());
    }

    public boolean isRemoved(PeerName p) {
        return Collections.binarySearch(removed, p) >= 0;
    }

    public boolean isEmpty() {
        return entries.length == 0;
    }

    public int size() {
        return entries.length;
    }

    public Entry entry(int k) {
        return entries[k];
    }

    /** The entries in token order (a copy). */
    public List<Entry> entries() {
        return List.of(entries);
    }

    public long start() {
        return start;
    }

    public long end() {
        return end;
    }

    /** Peers the ring was seeded with, sorted. */
    public List<PeerName> seeds() {
        return seeds;
    }

    /** Peers removed by rmpeer, sorted. */
    public List<PeerName> removed() {
        return removed;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ring r
                && r.start == start
                && r.end == end
                && Arrays.equals(r.entries, entries)
                && r.seeds.equals(seeds)
                && r.removed.equals(removed);
    }

    @Override
    public int hashCode() {
        return Objects.hash(start, end, Arrays.hashCode(entries), seeds, removed);
    }

    @Override
    public String toString() {
        StringBuilder b =
                new StringBuilder("Ring[").append(fmt(start)).append('-').append(fmt(end - 1));
        for (int k = 0; k < entries.length; k++) {
            Entry e = entries[k];
            b.append(' ')
                    .append(fmt(e.token()))
                    .append('=')
                    .append(e.owner())
                    .append("@v")
                    .append(e.version())
                    .append("/f")
                    .append(free(k));
        }
        if (!removed.isEmpty()) {
            b.append(" removed=").append(removed);
        }
        return b.append(']').toString();
    }

    static String fmt(long a) {
        return a == (1L << 32) ? "256.0.0.0" : dev.weft.ipam.api.Address.format(a);
    }
}
