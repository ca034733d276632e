package dev.weft.gossip.internal.topology;

import dev.weft.gossip.api.GossipData;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * Topology gossip data: a set of peer records, at most one per peer (merging keeps the record that
 * supersedes), and at most one {@link TopologyDigest} (merging keeps the later). Encodes as one
 * message per record, each the record's canonical bytes, so relaying a record never re-encodes it;
 * a digest goes first.
 */
public final class TopologyUpdate implements GossipData {

    private final TreeMap<Long, PeerRecord> records = new TreeMap<>();
    private List<PeerRecord> sortedList; // of(): records sorted by name, one per peer (instead of the map)
    private final PeerRecord single; // the common case, a relayed record, without the map
    private TopologyDigest digest;

    private TopologyUpdate() {
        this.single = null;
    }

    private TopologyUpdate(PeerRecord single) {
        this.single = single;
    }

    /** An update carrying only {@code digest}. */
    public static TopologyUpdate of(TopologyDigest digest) {
        TopologyUpdate u = new TopologyUpdate();
        u.digest = digest;
        return u;
    }

    /** The digest carried, or null. */
    public TopologyDigest digest() {
        return digest;
    }

    /** An update carrying {@code record}. */
    public static TopologyUpdate of(PeerRecord record) {
        return new TopologyUpdate(record);
    }

    /** The record if this update carries exactly one, else null. */
    public PeerRecord single() {
        return digest == null ? single : null;
    }

    /** An update carrying all of {@code records}. */
    public static TopologyUpdate of(Collection<PeerRecord> records) {
        TopologyUpdate u = new TopologyUpdate();
        long last = Long.MIN_VALUE;
        boolean sortedUnique = true;
        for (PeerRecord r : records) {
            long n = r.name().value();
            sortedUnique &= n > last;
            last = n;
        }
        if (sortedUnique) {
            u.sortedList = List.copyOf(records); // the common case (digest answers): no map to build
            return u;
        }
        for (PeerRecord r : records) {
            u.add(r);
        }
        return u;
    }

    private void add(PeerRecord r) {
        records.merge(r.name().value(), r, (a, b) -> b.supersedes(a) ? b : a);
    }

    /** The records, by name. */
    public Collection<PeerRecord> records() {
        return single != null ? List.of(single) : sortedList != null ? sortedList : records.values();
    }

    @Override
    public List<byte[]> encode() {
        if (single != null) {
            return List.of(single.encoded());
        }
        Collection<PeerRecord> all = records();
        List<byte[]> out = new ArrayList<>(all.size() + 1);
        if (digest != null) {
            out.add(digest.encode());
        }
        for (PeerRecord r : all) {
            out.add(r.encoded());
        }
        return out;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The result of a merge is referenced only by whoever asked for it (a connection's pending
     * slot, or {@link TopologyGossiper#answer}), so merging more into it adds in place instead of
     * copying every pending record again: a burst of k records queued on one connection costs O(k
     * log k), not O(k²). Updates made any other way are never modified.
     */
    @Override
    public GossipData merge(GossipData other) {
        TopologyUpdate o = (TopologyUpdate) other;
        TopologyUpdate u = this;
        if (!mergedHere) {
            u = new TopologyUpdate();
            u.mergedHere = true;
            for (PeerRecord r : records()) {
                u.add(r);
            }
            u.digest = digest;
        }
        for (PeerRecord r : o.records()) {
            u.add(r);
        }
        if (o.digest != null) {
            u.digest = o.digest;
        }
        return u;
    }

    private boolean mergedHere; // made by merge(): owned by the one slot that holds it
}
