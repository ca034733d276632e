package dev.weft.gossip.internal.topology;

import dev.weft.gossip.api.GossipData;
import dev.weft.gossip.api.GossipException;
import dev.weft.gossip.api.Gossiper;
import dev.weft.gossip.api.PeerName;
import java.util.ArrayList;
import java.util.List;

/**
 * The mesh's own channel, {@code topology}: peer records merged with mesh's rule. Only records that
 * were news are returned for relaying, so epidemic spread stops by itself. Runs on the mesh actor.
 */
public final class TopologyGossiper implements Gossiper {

    /** The reserved channel name. */
    public static final String CHANNEL = "topology";

    /** What the mesh must do after records were applied. */
    public interface Effects {
        /** A record of another peer was added or replaced. */
        void applied(PeerRecord record, Peers.Outcome outcome, PeerRecord previous);

        /** Someone holds a record of our name with another UID and version {@code version}. */
        void staleSelf(long uid, long version);
    }

    private final Peers peers;
    private final java.util.function.Supplier<PeerRecord> announcedSelf;
    private final RecordCache cache;
    private final Effects effects;
    private final long self;
    private final long[] header = new long[4];

    /**
     * @param announcedSelf our record as last announced: full state carries it rather than our
     *     current record, so a newcomer does not spread versions of ours the rest of the mesh has
     *     not had yet (that would multiply the versions in flight; the batch announces ours soon)
     */
    public TopologyGossiper(
            Peers peers, java.util.function.Supplier<PeerRecord> announcedSelf, RecordCache cache, Effects effects) {
        this.peers = peers;
        this.announcedSelf = announcedSelf;
        this.cache = cache;
        this.effects = effects;
        this.self = peers.self().value();
    }

    @Override
    public void onUnicast(PeerName source, byte[] message) {
        throw new GossipException("the topology channel does not take unicasts");
    }

    @Override
    public GossipData onBroadcast(PeerName origin, byte[] update) {
        return merge(update);
    }

    @Override
    public GossipData onGossip(PeerName sender, byte[] update) {
        return merge(update);
    }

    private GossipData merge(byte[] bytes) {
        if (!PeerRecordCodec.peekHeader(bytes, header)) {
            throw new GossipException("malformed topology record header (" + bytes.length + " bytes)");
        }
        long name = header[0];
        long uid = header[1];
        long version = header[2];
        if (name == self) {
            PeerRecord ours = peers.local();
            if (uid != ours.uid() && Long.compareUnsigned(version, ours.version()) >= 0) {
                effects.staleSelf(uid, version);
            }
            return null;
        }
        PeerRecord current = peers.record(name);
        if (current != null && !headerSupersedes(current, uid, version, header[3] != 0xFFFF)) {
            return null; // the common case: a duplicate, skipped without decoding the body
        }
        PeerRecord record = cache.get(bytes);
        if (record == null) {
            record = PeerRecordCodec.decode(bytes);
            cache.put(bytes, record);
        }
        Peers.Outcome outcome = peers.apply(record);
        if (outcome == Peers.Outcome.IGNORED) {
            return null;
        }
        effects.applied(record, outcome, current);
        return TopologyUpdate.of(record);
    }

    private static boolean headerSupersedes(PeerRecord current, long uid, long version, boolean hasShortId) {
        if (version != current.version()) {
            return version > current.version();
        }
        if (uid != current.uid()) {
            return Long.compareUnsigned(uid, current.uid()) > 0;
        }
        return hasShortId && current.shortId() < 0;
    }

    /**
     * What to send back to the neighbour that sent {@code digest}: the records it lacks or holds
     * older versions of, and our own digest if it asked for one and holds records we lack. Null if
     * there is nothing to send.
     */
    public TopologyUpdate answer(TopologyDigest digest) {
        PeerRecord ours = announcedSelf.get();
        List<PeerRecord> missing = new ArrayList<>();
        boolean theyKnowMore = false;
        // Both sides sorted by name: one merge pass, no lookups.
        Peers.Entry[] sorted = peers.sortedEntries();
        int j = 0;
        int m = digest.size();
        for (Peers.Entry e : sorted) {
            PeerRecord r = e.record();
            long name = r.name().value();
            while (j < m && digest.name(j) < name) {
                theyKnowMore = true; // a peer we have no record of
                j++;
            }
            if (name == self) {
                r = ours;
            }
            boolean listed = j < m && digest.name(j) == name;
            if (r.version() > 0 && (!listed || digest.lacks(j, r))) {
                missing.add(r);
            }
            if (listed) {
                theyKnowMore |= name != self && digest.newer(j, r);
                j++;
            }
        }
        theyKnowMore = digest.answerWanted() && (theyKnowMore || j < m);
        if (missing.isEmpty() && !theyKnowMore) {
            return null;
        }
        TopologyUpdate records = TopologyUpdate.of(missing);
        return theyKnowMore
                ? (TopologyUpdate) records.merge(TopologyUpdate.of(TopologyDigest.of(peers, ours, false)))
                : records;
    }

    /**
     * Our digest (the records full state would carry, without their bodies). Cached until the
     * topology or our announced record changes: a peer sends one on every new connection.
     */
    public TopologyUpdate digest(boolean answerWanted) {
        PeerRecord ours = announcedSelf.get();
        int i = answerWanted ? 1 : 0;
        if (digestCache[i] == null || digestChanges[i] != peers.changes() || digestSelf[i] != ours) {
            digestCache[i] = TopologyUpdate.of(TopologyDigest.of(peers, ours, answerWanted));
            digestChanges[i] = peers.changes();
            digestSelf[i] = ours;
        }
        return digestCache[i];
    }

    private final TopologyUpdate[] digestCache = new TopologyUpdate[2];
    private final long[] digestChanges = new long[2];
    private final PeerRecord[] digestSelf = new PeerRecord[2];

    @Override
    public GossipData fullState() {
        List<PeerRecord> all = new ArrayList<>(peers.size());
        long selfName = self;
        peers.forEach(e -> {
            if (e.record().version() > 0 && e.record().name().value() != selfName) {
                all.add(e.record());
            }
        });
        all.add(announcedSelf.get());
        return TopologyUpdate.of(all);
    }
}
