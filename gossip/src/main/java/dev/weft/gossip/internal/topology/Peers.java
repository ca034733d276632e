package dev.weft.gossip.internal.topology;

import dev.weft.gossip.api.PeerName;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Every peer record this peer knows, with reachability and references from local connections
 * (mesh's {@code Peers}). Applies received records with mesh's rule, keeps the set of peers
 * reachable from here up to date (incrementally while connections are only added, by a full search
 * after anything was lost), garbage-collects unreachable peers, and indexes short IDs.
 *
 * <p>Actor-confined: every method runs on the mesh's actor.
 */
public final class Peers {

    /** What applying a record did. */
    public enum Outcome {
        IGNORED,
        ADDED,
        UPDATED
    }

    /** One known peer. */
    public static final class Entry {
        PeerRecord record;
        int localRefs;
        boolean reachable;

        Entry(PeerRecord record) {
            this.record = record;
        }

        public PeerRecord record() {
            return record;
        }

        public boolean reachable() {
            return reachable;
        }

        public int localRefs() {
            return localRefs;
        }
    }

    /** Hears about reachability flips (for peer listeners). */
    public interface ReachabilityListener {
        void reachabilityChanged(Entry entry);
    }

    private final long self;
    private final LongObjectMap<Entry> entries = new LongObjectMap<>();
    private final LongSet reachable = new LongSet();
    private final ReachabilityListener listener;
    private boolean lostSomething;
    private long changes;

    public Peers(PeerRecord local, ReachabilityListener listener) {
        this.self = local.name().value();
        this.listener = listener;
        Entry e = new Entry(local);
        e.reachable = true;
        entries.put(self, e);
        reachable.add(self);
    }

    /** A number that changes whenever a record is added, replaced or removed (for caches). */
    public long changes() {
        return changes;
    }

    /** Our own record. */
    public PeerRecord local() {
        return entries.get(self).record;
    }

    /** Replaces our own record (after a local change) and updates reachability. */
    public void setLocal(PeerRecord record) {
        Entry e = entries.get(self);
        PeerRecord old = e.record;
        e.record = record;
        changes++;
        afterChange(e, old);
    }

    public Entry get(long name) {
        return entries.get(name);
    }

    public PeerRecord record(long name) {
        Entry e = entries.get(name);
        return e == null ? null : e.record;
    }

    public int size() {
        return entries.size();
    }

    /** True if a search over reported connections from here reaches {@code name}. */
    public boolean isReachable(long name) {
        return reachable.contains(name);
    }

    /** True if something was lost since the last {@link #collectGarbage()}: a GC is due. */
    public boolean gcDue() {
        return lostSomething;
    }

    /**
     * Applies a received record of another peer (mesh's rule: see {@link
     * PeerRecord#supersedes}).
     */
    public Outcome apply(PeerRecord record) {
        long name = record.name().value();
        if (name == self) {
            throw new IllegalArgumentException("apply() is for other peers' records");
        }
        Entry e = entries.get(name);
        if (e == null) {
            e = new Entry(record);
            entries.put(name, e);
            sortedCache = null;
            changes++;
            if (reachable.contains(name)) {
                e.reachable = true;
                extendFrom(record.adjacency());
            }
            return Outcome.ADDED;
        }
        if (!record.supersedes(e.record)) {
            return Outcome.IGNORED;
        }
        PeerRecord old = e.record;
        e.record = record;
        changes++;
        afterChange(e, old);
        return Outcome.UPDATED;
    }

    private void afterChange(Entry e, PeerRecord old) {
        PeerRecord now = e.record;
        if (now.uid() != old.uid() || now.adjacency().lostAnyOf(old.adjacency())) {
            lostSomething = true;
        } else if (e.reachable) {
            extendFromAdded(now.adjacency(), old.adjacency());
        }
    }

    /**
     * As {@link #extendFrom}, from the peers {@code now} lists and {@code before} did not (both
     * sorted by name): what {@code before} listed was extended from already. A record that gains a
     * few connections costs O(its connections) of sequential reads, not a set lookup per connection.
     */
    private void extendFromAdded(Adjacency now, Adjacency before) {
        int j = 0;
        int m = before.size();
        ArrayList<Adjacency> work = null;
        for (int i = 0; i < now.size(); i++) {
            long n = now.name(i);
            while (j < m && before.name(j) < n) {
                j++;
            }
            if (j < m && before.name(j) == n) {
                continue;
            }
            Adjacency next = reach(n);
            if (next != null) {
                if (work == null) {
                    work = new ArrayList<>();
                }
                work.add(next);
            }
        }
        if (work != null) {
            for (Adjacency a : work) {
                extendFrom(a);
            }
        }
    }

    /** Marks everything reachable through {@code adjacency}'s peers (depth-first, iterative). */
    private void extendFrom(Adjacency adjacency) {
        ArrayList<Adjacency> work = new ArrayList<>();
        work.add(adjacency);
        while (!work.isEmpty()) {
            Adjacency a = work.removeLast();
            for (int i = 0; i < a.size(); i++) {
                Adjacency next = reach(a.name(i));
                if (next != null) {
                    work.add(next);
                }
            }
        }
    }

    /**
     * Marks peer {@code n} reachable (telling the listener if its entry was not) and returns its
     * record's connections to extend from; null if it was reachable already or has no record.
     */
    private Adjacency reach(long n) {
        if (!reachable.add(n)) {
            return null;
        }
        Entry e = entries.get(n);
        if (e == null) {
            return null;
        }
        if (!e.reachable) {
            e.reachable = true;
            listener.reachabilityChanged(e);
        }
        return e.record.adjacency();
    }

    /** We connected to {@code name}: it and everything it reaches are reachable. */
    public void localConnectionAdded(long name) {
        if (reachable.add(name)) {
            Entry e = entries.get(name);
            if (e != null) {
                if (!e.reachable) {
                    e.reachable = true;
                    listener.reachabilityChanged(e);
                }
                extendFrom(e.record.adjacency());
            }
        }
    }

    /** A local connection to {@code name} was added: it must not be collected while it exists. */
    public void addLocalRef(long name) {
        Entry e = entries.get(name);
        if (e != null) {
            e.localRefs++;
        }
    }

    /** A local connection to {@code name} was removed. */
    public void removeLocalRef(long name) {
        Entry e = entries.get(name);
        if (e != null && e.localRefs > 0) {
            e.localRefs--;
        }
        lostSomething = true;
    }

    /** Ensures an entry exists for a peer we just connected to (from its handshake). */
    public void ensure(PeerRecord placeholder) {
        long name = placeholder.name().value();
        if (entries.get(name) == null) {
            Entry e = new Entry(placeholder);
            entries.put(name, e);
            sortedCache = null;
            changes++;
            e.reachable = reachable.contains(name);
        }
    }

    /**
     * Recomputes reachability from scratch and removes peers that are unreachable and not
     * referenced by a local connection (mesh's GC). Returns the removed entries.
     */
    public List<Entry> collectGarbage() {
        lostSomething = false;
        reachable.clear();
        reachable.add(self);
        ArrayList<Adjacency> work = new ArrayList<>();
        work.add(entries.get(self).record.adjacency());
        while (!work.isEmpty()) {
            Adjacency a = work.removeLast();
            for (int i = 0; i < a.size(); i++) {
                long n = a.name(i);
                if (reachable.add(n)) {
                    Entry e = entries.get(n);
                    if (e != null) {
                        work.add(e.record.adjacency());
                    }
                }
            }
        }
        List<Entry> removed = new ArrayList<>();
        List<Entry> flipped = new ArrayList<>();
        entries.forEachValue(e -> {
            boolean r = reachable.contains(e.record.name().value());
            if (!r && e.localRefs == 0) {
                removed.add(e);
            } else if (r != e.reachable) {
                e.reachable = r;
                flipped.add(e);
            }
        });
        for (Entry e : removed) {
            e.reachable = false;
            entries.remove(e.record.name().value());
            sortedCache = null;
            changes++;
        }
        flipped.forEach(listener::reachabilityChanged);
        return removed;
    }

    /** Calls {@code action} for every entry (ours included); do not modify meanwhile. */
    public void forEach(Consumer<Entry> action) {
        entries.forEachValue(action);
    }

    /** Every entry, sorted by name. */
    public List<Entry> sorted() {
        return java.util.Arrays.asList(sortedEntries());
    }

    /**
     * Every entry, sorted by name: cached until a peer is added or removed (a replaced record keeps
     * its entry). Do not modify the array.
     */
    public Entry[] sortedEntries() {
        Entry[] a = sortedCache;
        if (a == null) {
            long[] keys = entries.sortedKeys();
            a = new Entry[keys.length];
            for (int i = 0; i < keys.length; i++) {
                a[i] = entries.get(keys[i]);
            }
            sortedCache = a;
        }
        return a;
    }

    private Entry[] sortedCache;

    /**
     * True if another peer with a lower name claims {@code shortId} (so we must give it up, as
     * mesh's lowest-name-wins rule says).
     */
    public boolean shortIdTakenByLower(int shortId) {
        boolean[] taken = {false};
        entries.forEachValue(e -> {
            PeerRecord r = e.record;
            if (r.shortId() == shortId && r.name().value() < self && r.uid() != 0) {
                taken[0] = true;
            }
        });
        return taken[0];
    }

    /** Picks a short ID nobody claims: 10 random tries, then uniformly among the free ones; -1 if none. */
    public int pickFreeShortId(RandomGenerator random) {
        BitSet used = new BitSet(4096);
        entries.forEachValue(e -> {
            if (e.record.name().value() != self && e.record.shortId() >= 0) {
                used.set(e.record.shortId());
            }
        });
        for (int i = 0; i < 10; i++) {
            int candidate = random.nextInt(4096);
            if (!used.get(candidate)) {
                return candidate;
            }
        }
        int free = 4096 - used.cardinality();
        if (free == 0) {
            return -1;
        }
        int k = random.nextInt(free);
        for (int id = used.nextClearBit(0); ; id = used.nextClearBit(id + 1)) {
            if (k-- == 0) {
                return id;
            }
        }
    }

    /** Our own name. */
    public PeerName self() {
        return PeerName.of(self);
    }
}
