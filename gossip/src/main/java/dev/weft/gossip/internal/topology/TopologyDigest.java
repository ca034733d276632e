package dev.weft.gossip.internal.topology;

import dev.weft.gossip.api.GossipException;

/**
 * What a peer knows of the topology, without the records: name, UID and version of every record
 * (docs/protocol.md, "Topology digest"). Sent on the {@code topology} channel instead of full state
 * to neighbours that announce the {@link #FEATURE} in their handshake: the receiver answers with
 * only the records the sender lacks or holds an older version of. Immutable. Big-endian:
 *
 * <pre>
 * u8  format (2)
 * u8  flags: bit 0 "answer with your digest if you know records I lack"; others 0
 * u16 entry count n (at most {@link #MAX_ENTRIES})
 * n entries, names strictly ascending: 6 name (non-zero), u64 uid (non-zero), u64 version
 * </pre>
 */
public final class TopologyDigest {

    /** The first byte of a digest payload (a topology record's is {@link PeerRecordCodec#FORMAT}). */
    public static final int FORMAT = 2;

    /** Handshake feature key and value of peers that take digests. */
    public static final String FEATURE = "topology";

    public static final String FEATURE_VALUE = "digest1";

    /** Most entries (the 12-bit short-ID space bounds a mesh at 4,096 peers). */
    public static final int MAX_ENTRIES = 4096;

    static final int ENTRY_BYTES = 6 + 8 + 8;
    static final int HEADER_BYTES = 4;
    static final int FLAG_ANSWER = 1;

    private final boolean answerWanted;
    private final long[] names; // ascending
    private final long[] uids;
    private final long[] versions;

    TopologyDigest(boolean answerWanted, long[] names, long[] uids, long[] versions) {
        this.answerWanted = answerWanted;
        this.names = names;
        this.uids = uids;
        this.versions = versions;
    }

    /**
     * A digest of these entries (copied; names strictly ascending, none and no UID zero).
     *
     * @throws GossipException if they would not decode
     */
    public static TopologyDigest ofEntries(boolean answerWanted, long[] names, long[] uids, long[] versions) {
        if (names.length != uids.length || names.length != versions.length || names.length > MAX_ENTRIES) {
            throw new IllegalArgumentException("entry arrays must have one length, at most " + MAX_ENTRIES);
        }
        return decode(new TopologyDigest(answerWanted, names.clone(), uids.clone(), versions.clone()).encode());
    }

    /** True if the sender wants our digest back when we know records it lacks. */
    public boolean answerWanted() {
        return answerWanted;
    }

    public int size() {
        return names.length;
    }

    public long name(int i) {
        return names[i];
    }

    public long uid(int i) {
        return uids[i];
    }

    public long version(int i) {
        return versions[i];
    }

    /** The index of {@code name}'s entry, or a negative number. */
    public int indexOf(long name) {
        return java.util.Arrays.binarySearch(names, name);
    }

    /**
     * True if the sender of this digest lacks {@code r} or holds a version {@code r} supersedes
     * (by version, then UID; a short ID gained at the same version is not visible in a digest).
     */
    public boolean lacks(PeerRecord r) {
        int i = indexOf(r.name().value());
        if (i < 0) {
            return true;
        }
        if (r.version() != versions[i]) {
            return r.version() > versions[i];
        }
        return Long.compareUnsigned(r.uid(), uids[i]) > 0;
    }

    /** As {@link #lacks(PeerRecord)}, given that entry {@code i} is {@code r}'s peer. */
    public boolean lacks(int i, PeerRecord r) {
        if (r.version() != versions[i]) {
            return r.version() > versions[i];
        }
        return Long.compareUnsigned(r.uid(), uids[i]) > 0;
    }

    /** True if entry {@code i} supersedes {@code r} (null: we have no record of that peer). */
    public boolean newer(int i, PeerRecord r) {
        if (r == null) {
            return true;
        }
        if (versions[i] != r.version()) {
            return versions[i] > r.version();
        }
        return Long.compareUnsigned(uids[i], r.uid()) > 0;
    }

    /** Encodes (once; the array is shared: do not modify it). */
    public byte[] encode() {
        if (encoded == null) {
            encoded = encodeNow();
        }
        return encoded;
    }

    private byte[] encoded;

    private byte[] encodeNow() {
        byte[] out = new byte[HEADER_BYTES + names.length * ENTRY_BYTES];
        out[0] = FORMAT;
        out[1] = (byte) (answerWanted ? FLAG_ANSWER : 0);
        out[2] = (byte) (names.length >>> 8);
        out[3] = (byte) names.length;
        int p = HEADER_BYTES;
        for (int i = 0; i < names.length; i++) {
            p = put(out, p, names[i], 6);
            p = put(out, p, uids[i], 8);
            p = put(out, p, versions[i], 8);
        }
        return out;
    }

    private static int put(byte[] b, int p, long v, int bytes) {
        for (int k = bytes - 1; k >= 0; k--) {
            b[p++] = (byte) (v >>> (8 * k));
        }
        return p;
    }

    /** True if {@code payload} is a digest (by its first byte), not a topology record. */
    public static boolean isDigest(byte[] payload) {
        return payload.length > 0 && payload[0] == FORMAT;
    }

    /**
     * Decodes and validates a digest.
     *
     * @throws GossipException on any malformed, truncated or trailing input, with the reason
     */
    public static TopologyDigest decode(byte[] b) {
        if (b.length < HEADER_BYTES) {
            throw new GossipException("topology digest truncated: " + b.length + " bytes");
        }
        if (b[0] != FORMAT) {
            throw new GossipException("not a topology digest: format " + (b[0] & 0xFF));
        }
        int flags = b[1] & 0xFF;
        if ((flags & ~FLAG_ANSWER) != 0) {
            throw new GossipException("unknown topology digest flags " + flags);
        }
        int n = ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
        if (n > MAX_ENTRIES) {
            throw new GossipException("topology digest has " + n + " entries, more than " + MAX_ENTRIES);
        }
        if (b.length != HEADER_BYTES + n * ENTRY_BYTES) {
            throw new GossipException("topology digest of " + n + " entries must be " + (HEADER_BYTES + n * ENTRY_BYTES)
                    + " bytes, not " + b.length);
        }
        long[] names = new long[n];
        long[] uids = new long[n];
        long[] versions = new long[n];
        int p = HEADER_BYTES;
        for (int i = 0; i < n; i++) {
            names[i] = PeerRecordCodec.readName(b, p);
            uids[i] = PeerRecordCodec.readLong(b, p + 6);
            versions[i] = PeerRecordCodec.readLong(b, p + 14);
            p += ENTRY_BYTES;
            if (names[i] == 0) {
                throw new GossipException("topology digest entry " + i + " has the reserved name 0");
            }
            if (uids[i] == 0) {
                throw new GossipException("topology digest entry " + i + " has UID 0");
            }
            if (i > 0 && names[i] <= names[i - 1]) {
                throw new GossipException("topology digest names not strictly ascending at entry " + i);
            }
        }
        return new TopologyDigest((flags & FLAG_ANSWER) != 0, names, uids, versions);
    }

    /**
     * The digest of every record {@code peers} holds with a version above 0, our own as {@code
     * self} (the record last announced).
     */
    public static TopologyDigest of(Peers peers, PeerRecord self, boolean answerWanted) {
        Peers.Entry[] sorted = peers.sortedEntries();
        long[] names = new long[sorted.length];
        long[] uids = new long[sorted.length];
        long[] versions = new long[sorted.length];
        int n = 0;
        for (Peers.Entry e : sorted) {
            PeerRecord r = e.record().name().equals(self.name()) ? self : e.record();
            if (r.version() > 0 && n < MAX_ENTRIES) {
                names[n] = r.name().value();
                uids[n] = r.uid();
                versions[n] = r.version();
                n++;
            }
        }
        return new TopologyDigest(
                answerWanted,
                java.util.Arrays.copyOf(names, n),
                java.util.Arrays.copyOf(uids, n),
                java.util.Arrays.copyOf(versions, n));
    }
}
