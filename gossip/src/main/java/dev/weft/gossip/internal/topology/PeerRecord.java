package dev.weft.gossip.internal.topology;

import dev.weft.gossip.api.ConnectionInfo;
import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.api.PeerUid;
import dev.weft.gossip.api.ShortId;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * One peer's topology record as it travels in gossip: identity, version, advertised addresses and
 * the connections it reports. Immutable; the encoded form is the canonical one and is kept (it is
 * what gets relayed, and in the simulator the same array is shared by every peer), connections are
 * parsed from it on demand so a record costs a few dozen bytes of heap beyond its encoding.
 */
public final class PeerRecord {

    private final PeerName name;
    private final long uid;
    private final long version;
    private final int shortId; // -1: none
    private final String nickname;
    private final byte[] encoded;
    private final int addressesOffset;
    private final int connectionsOffset;
    private final int connectionCount;
    private Adjacency adjacency; // parsed lazily; immutable, so a racy first publication is harmless

    PeerRecord(
            PeerName name,
            long uid,
            long version,
            int shortId,
            String nickname,
            byte[] encoded,
            int addressesOffset,
            int connectionsOffset,
            int connectionCount) {
        this.name = name;
        this.uid = uid;
        this.version = version;
        this.shortId = shortId;
        this.nickname = nickname;
        this.encoded = encoded;
        this.addressesOffset = addressesOffset;
        this.connectionsOffset = connectionsOffset;
        this.connectionCount = connectionCount;
    }

    public PeerName name() {
        return name;
    }

    public long uid() {
        return uid;
    }

    public PeerUid peerUid() {
        return new PeerUid(uid);
    }

    public long version() {
        return version;
    }

    /** The short ID or -1. */
    public int shortId() {
        return shortId;
    }

    public Optional<ShortId> optionalShortId() {
        return shortId < 0 ? Optional.empty() : Optional.of(ShortId.of(shortId));
    }

    public String nickname() {
        return nickname;
    }

    /** The canonical encoding; immutable, never modify. */
    public byte[] encoded() {
        return encoded;
    }

    public int connectionCount() {
        return connectionCount;
    }

    /** Where the version sits in the encoding: format (1), name (6) and UID (8) come first. */
    private static final int VERSION_OFFSET = 15;

    /**
     * True if {@code other} encodes the same record apart from the version (same peer, UID, short
     * ID, nickname, addresses and connections): announcing this one after {@code other} would tell
     * nobody anything new.
     */
    public boolean sameContentAs(PeerRecord other) {
        byte[] a = encoded;
        byte[] b = other.encoded;
        return a.length == b.length
                && java.util.Arrays.equals(a, 0, VERSION_OFFSET, b, 0, VERSION_OFFSET)
                && java.util.Arrays.equals(a, VERSION_OFFSET + 8, a.length, b, VERSION_OFFSET + 8, b.length);
    }

    /**
     * True if this record should replace {@code current} (mesh's rule): a higher version; or the
     * same version and a higher UID (unsigned); or the same version and UID and a short ID where
     * {@code current} has none.
     */
    public boolean supersedes(PeerRecord current) {
        if (version != current.version) {
            return version > current.version;
        }
        if (uid != current.uid) {
            return Long.compareUnsigned(uid, current.uid) > 0;
        }
        return shortId >= 0 && current.shortId < 0;
    }

    /** The connections as sorted arrays, parsed on first use and then shared. */
    public Adjacency adjacency() {
        Adjacency a = adjacency;
        if (a == null) {
            a = Adjacency.of(this);
            adjacency = a;
        }
        return a;
    }

    /** Calls {@code visitor} for each reported connection, parsing as it goes; allocates nothing. */
    public void forEachConnection(ConnectionVisitor visitor) {
        int p = connectionsOffset;
        for (int i = 0; i < connectionCount; i++) {
            long remote = PeerRecordCodec.readName(encoded, p);
            int flags = encoded[p + 6] & 0xFF;
            visitor.visit(
                    remote,
                    (flags & PeerRecordCodec.FLAG_OUTBOUND) != 0,
                    (flags & PeerRecordCodec.FLAG_ESTABLISHED) != 0);
            p = PeerRecordCodec.skipAddress(encoded, p + 7);
        }
    }

    /** The reported connections, parsed (allocates; for status and tests). */
    public List<ConnectionInfo> connections() {
        List<ConnectionInfo> out = new ArrayList<>(connectionCount);
        int p = connectionsOffset;
        for (int i = 0; i < connectionCount; i++) {
            PeerName remote = PeerName.of(PeerRecordCodec.readName(encoded, p));
            int flags = encoded[p + 6] & 0xFF;
            InetSocketAddress addr = PeerRecordCodec.readAddress(encoded, p + 7);
            out.add(new ConnectionInfo(
                    remote,
                    addr,
                    (flags & PeerRecordCodec.FLAG_OUTBOUND) != 0,
                    (flags & PeerRecordCodec.FLAG_ESTABLISHED) != 0));
            p = PeerRecordCodec.skipAddress(encoded, p + 7);
        }
        return Collections.unmodifiableList(out);
    }

    /** Addresses where this peer accepts mesh connections (as far as it knows). */
    public List<InetSocketAddress> advertisedAddresses() {
        int count = encoded[addressesOffset] & 0xFF;
        List<InetSocketAddress> out = new ArrayList<>(count);
        int p = addressesOffset + 1;
        for (int i = 0; i < count; i++) {
            InetSocketAddress a = PeerRecordCodec.readAddress(encoded, p);
            if (a != null) {
                out.add(a);
            }
            p = PeerRecordCodec.skipAddress(encoded, p);
        }
        return out;
    }

    @Override
    public String toString() {
        return name + "(" + nickname + ") uid=" + Long.toUnsignedString(uid) + " v" + version + " conns="
                + connectionCount;
    }

    /** Receives connections from {@link #forEachConnection}. */
    @FunctionalInterface
    public interface ConnectionVisitor {
        void visit(long remoteName, boolean outbound, boolean established);
    }
}
