package dev.weft.ipam.internal;

import dev.weft.gossip.api.PeerName;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The IPAM channel's wire format, version 1. Big-endian, explicit counts, hard limits.
 *
 * <pre>
 * message   = version:u8 (=1) tag:u8 body
 * tag 1 STATE          flags:u8 (bit0 ring, bit1 paxos, bit2 want-reply) [ring] [paxos]
 * tag 2 SPACE_REQUEST  start:u32 count:u32      (count &gt;= 1)
 * tag 3 SPACE_DENIED   start:u32 count:u32
 * ring      = start:u32 prefix:u8 seeds:peers removed:peers n:u32 n*(token:u32 owner:u64 version:u64 freeStamp:u64 free:u32)
 * peers     = n:u16 n*name:u64
 * paxos     = n:u16 n*(node:u64 promise:proposal accepted:proposal value:peers)
 * proposal  = round:u64 proposer:u64
 * </pre>
 *
 * Decoding checks every bound and the ring's invariants and fails with
 * {@link MalformedMessageException}; a bad message is never applied in part.
 */
public final class IpamCodec {

    public static final byte VERSION = 1;
    static final byte TAG_STATE = 1;
    static final byte TAG_SPACE_REQUEST = 2;
    static final byte TAG_SPACE_DENIED = 3;

    /** Largest message: a ring at its entry limit plus peer lists. */
    public static final int MAX_MESSAGE_BYTES = 64 + Ring.MAX_ENTRIES * 32 + 3 * Ring.MAX_PEERS * 8 + 1024 * 1024;

    private static final int MAX_PAXOS_NODES = Ring.MAX_PEERS;

    private IpamCodec() {}

    /** A thrown-on-decode error naming what is malformed. */
    public static final class MalformedMessageException extends Exception {
        private static final long serialVersionUID = 1L;

        public MalformedMessageException(String message) {
            super(message);
        }
    }

    public static byte[] encode(IpamMessage m) {
        return switch (m) {
            case IpamMessage.State s -> encodeState(s);
            case IpamMessage.SpaceRequest r -> encodeRange(TAG_SPACE_REQUEST, r.start(), r.end());
            case IpamMessage.SpaceDenied d -> encodeRange(TAG_SPACE_DENIED, d.start(), d.end());
        };
    }

    private static byte[] encodeRange(byte tag, long start, long end) {
        ByteBuffer b = ByteBuffer.allocate(10);
        b.put(VERSION).put(tag).putInt((int) start).putInt((int) (end - start));
        return b.array();
    }

    private static byte[] encodeState(IpamMessage.State s) {
        int size = 3 + (s.ring() == null ? 0 : ringSize(s.ring())) + paxosSize(s.paxos());
        ByteBuffer b = ByteBuffer.allocate(size);
        int flags = (s.ring() != null ? 1 : 0) | (!s.paxos().isEmpty() ? 2 : 0) | (s.wantReply() ? 4 : 0);
        b.put(VERSION).put(TAG_STATE).put((byte) flags);
        if (s.ring() != null) {
            putRing(b, s.ring());
        }
        if (!s.paxos().isEmpty()) {
            putPaxos(b, s.paxos());
        }
        return b.array();
    }

    static int ringSize(Ring r) {
        return 4 + 1 + 2 + r.seeds().size() * 8 + 2 + r.removed().size() * 8 + 4 + r.size() * 32;
    }

    /** Writes a ring (also the store's encoding of it). */
    public static void putRing(ByteBuffer b, Ring r) {
        b.putInt((int) r.start());
        b.put((byte) (32 - Long.numberOfTrailingZeros(r.end() - r.start())));
        putPeers(b, r.seeds());
        putPeers(b, r.removed());
        b.putInt(r.size());
        for (Entry e : r.entries()) {
            b.putInt((int) e.token())
                    .putLong(e.owner().value())
                    .putLong(e.version())
                    .putLong(e.freeStamp())
                    .putInt((int) e.free());
        }
    }

    /** A ring on its own, for the store. */
    public static byte[] encodeRing(Ring r) {
        ByteBuffer b = ByteBuffer.allocate(ringSize(r));
        putRing(b, r);
        return b.array();
    }

    public static Ring decodeRing(byte[] bytes) throws MalformedMessageException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        try {
            Ring r = getRing(b);
            if (b.hasRemaining()) {
                throw new MalformedMessageException(b.remaining() + " trailing bytes after the ring");
            }
            return r;
        } catch (BufferUnderflowException e) {
            throw new MalformedMessageException("ring is truncated");
        }
    }

    private static int paxosSize(Map<PeerName, NodeClaims> p) {
        if (p.isEmpty()) {
            return 0;
        }
        int n = 2;
        for (NodeClaims c : p.values()) {
            n += 8 + 32 + 2 + c.value().size() * 8;
        }
        return n;
    }

    private static void putPaxos(ByteBuffer b, Map<PeerName, NodeClaims> p) {
        b.putShort((short) p.size());
        for (Map.Entry<PeerName, NodeClaims> e : new TreeMap<>(p).entrySet()) {
            NodeClaims c = e.getValue();
            b.putLong(e.getKey().value());
            b.putLong(c.promise().round()).putLong(c.promise().proposer());
            b.putLong(c.accepted().round()).putLong(c.accepted().proposer());
            putPeers(b, c.value());
        }
    }

    private static void putPeers(ByteBuffer b, List<PeerName> names) {
        b.putShort((short) names.size());
        for (PeerName n : names) {
            b.putLong(n.value());
        }
    }

    /**
     * Decodes one message; never returns a partly valid one.
     *
     * @throws MalformedMessageException naming the problem (version, tag, bound, truncation, ring invariant)
     */
    public static IpamMessage decode(byte[] bytes) throws MalformedMessageException {
        if (bytes.length > MAX_MESSAGE_BYTES) {
            throw new MalformedMessageException("message of " + bytes.length + " bytes exceeds " + MAX_MESSAGE_BYTES);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        try {
            if (b.remaining() < 2) {
                throw new MalformedMessageException("message of " + bytes.length + " bytes is too short");
            }
            byte version = b.get();
            if (version != VERSION) {
                throw new MalformedMessageException(
                        "unsupported IPAM message version " + version + " (we speak " + VERSION + ")");
            }
            byte tag = b.get();
            IpamMessage m =
                    switch (tag) {
                        case TAG_STATE -> getState(b);
                        case TAG_SPACE_REQUEST -> {
                            long[] r = getRange(b);
                            yield new IpamMessage.SpaceRequest(r[0], r[1]);
                        }
                        case TAG_SPACE_DENIED -> {
                            long[] r = getRange(b);
                            yield new IpamMessage.SpaceDenied(r[0], r[1]);
                        }
                        default -> throw new MalformedMessageException("unknown IPAM message tag " + tag);
                    };
            if (b.hasRemaining()) {
                throw new MalformedMessageException(b.remaining() + " trailing bytes after message tag " + tag);
            }
            return m;
        } catch (BufferUnderflowException e) {
            throw new MalformedMessageException("message is truncated (" + bytes.length + " bytes)");
        }
    }

    private static long[] getRange(ByteBuffer b) throws MalformedMessageException {
        long start = Integer.toUnsignedLong(b.getInt());
        long count = Integer.toUnsignedLong(b.getInt());
        if (count == 0 || start + count > (1L << 32)) {
            throw new MalformedMessageException("bad address range: start " + start + " count " + count);
        }
        return new long[] {start, start + count};
    }

    private static IpamMessage.State getState(ByteBuffer b) throws MalformedMessageException {
        int flags = b.get() & 0xff;
        if ((flags & ~7) != 0) {
            throw new MalformedMessageException("unknown state flags " + flags);
        }
        Ring ring = (flags & 1) != 0 ? getRing(b) : null;
        Map<PeerName, NodeClaims> paxos = (flags & 2) != 0 ? getPaxos(b) : Map.of();
        return new IpamMessage.State(ring, paxos, (flags & 4) != 0);
    }

    private static Ring getRing(ByteBuffer b) throws MalformedMessageException {
        long start = Integer.toUnsignedLong(b.getInt());
        int prefix = b.get() & 0xff;
        if (prefix > 32) {
            throw new MalformedMessageException("ring prefix length " + prefix + " is over 32");
        }
        long size = 1L << (32 - prefix);
        if ((start & (size - 1)) != 0) {
            throw new MalformedMessageException("ring range start is not aligned to /" + prefix);
        }
        List<PeerName> seeds = getPeers(b, "seeds");
        List<PeerName> removed = getPeers(b, "removed peers");
        long n = Integer.toUnsignedLong(b.getInt());
        if (n > Ring.MAX_ENTRIES) {
            throw new MalformedMessageException("ring has " + n + " entries, more than " + Ring.MAX_ENTRIES);
        }
        if (n * 32 > b.remaining()) {
            throw new MalformedMessageException("ring claims " + n + " entries but is truncated");
        }
        List<Entry> entries = new ArrayList<>((int) n);
        for (int i = 0; i < n; i++) {
            long token = Integer.toUnsignedLong(b.getInt());
            PeerName owner = name(b.getLong());
            long version = b.getLong();
            long stamp = b.getLong();
            long free = Integer.toUnsignedLong(b.getInt());
            entries.add(new Entry(token, owner, version, stamp, free));
        }
        try {
            return Ring.of(start, start + size, entries, seeds, removed);
        } catch (InvalidRingException e) {
            throw new MalformedMessageException("invalid ring: " + e.getMessage());
        }
    }

    private static Map<PeerName, NodeClaims> getPaxos(ByteBuffer b) throws MalformedMessageException {
        int n = b.getShort() & 0xffff;
        if (n == 0 || n > MAX_PAXOS_NODES) {
            throw new MalformedMessageException("paxos state names " + n + " nodes");
        }
        Map<PeerName, NodeClaims> m = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            PeerName node = name(b.getLong());
            ProposalId promise = proposal(b);
            ProposalId accepted = proposal(b);
            List<PeerName> value = getPeers(b, "paxos value");
            if (m.put(node, new NodeClaims(promise, accepted, value)) != null) {
                throw new MalformedMessageException("paxos state names node " + node + " twice");
            }
            if (accepted.isNone() != value.isEmpty()) {
                throw new MalformedMessageException(
                        "paxos node " + node + " has an accepted proposal without value or the reverse");
            }
        }
        return m;
    }

    private static ProposalId proposal(ByteBuffer b) throws MalformedMessageException {
        long round = b.getLong();
        long proposer = b.getLong();
        if (round < 0 || (round == 0) != (proposer == 0) || proposer < 0 || proposer > 0xffff_ffff_ffffL) {
            throw new MalformedMessageException("bad paxos proposal " + round + "/" + proposer);
        }
        return new ProposalId(round, proposer);
    }

    private static List<PeerName> getPeers(ByteBuffer b, String what) throws MalformedMessageException {
        int n = b.getShort() & 0xffff;
        if (n > Ring.MAX_PEERS) {
            throw new MalformedMessageException(what + ": " + n + " names, more than " + Ring.MAX_PEERS);
        }
        List<PeerName> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            PeerName p = name(b.getLong());
            if (!out.isEmpty() && p.compareTo(out.getLast()) <= 0) {
                throw new MalformedMessageException(what + " are not sorted and distinct");
            }
            out.add(p);
        }
        return out;
    }

    private static PeerName name(long v) throws MalformedMessageException {
        if (v <= 0 || v > 0xffff_ffff_ffffL) {
            throw new MalformedMessageException("bad peer name value " + v);
        }
        return new PeerName(v);
    }
}
