package dev.weft.ipam.internal;

import dev.weft.gossip.api.GossipData;
import dev.weft.gossip.api.PeerName;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * IPAM state travelling through the mesh: one encoded {@link IpamMessage.State}. Immutable. Merging
 * two (when a slow connection has one pending) joins their rings and Paxos knowledge, so the
 * pending value always carries everything either carried.
 */
public final class IpamGossipData implements GossipData {

    private final byte[] message;

    /** Wraps an encoded state message; the array must not change afterwards. */
    public IpamGossipData(byte[] message) {
        this.message = message;
    }

    @Override
    public List<byte[]> encode() {
        return List.of(message);
    }

    @Override
    public GossipData merge(GossipData other) {
        if (!(other instanceof IpamGossipData o)) {
            return this;
        }
        try {
            if (!(IpamCodec.decode(message) instanceof IpamMessage.State a)
                    || !(IpamCodec.decode(o.message) instanceof IpamMessage.State b)) {
                return o;
            }
            Ring ring = a.ring() == null
                    ? b.ring()
                    : b.ring() == null ? a.ring() : a.ring().join(b.ring());
            Map<PeerName, NodeClaims> paxos = new TreeMap<>(a.paxos());
            for (Map.Entry<PeerName, NodeClaims> e : b.paxos().entrySet()) {
                paxos.merge(e.getKey(), e.getValue(), NodeClaims::join);
            }
            return new IpamGossipData(IpamCodec.encode(
                    new IpamMessage.State(ring, ring == null ? paxos : Map.of(), a.wantReply() || b.wantReply())));
        } catch (IpamCodec.MalformedMessageException | InvalidRingException e) {
            return o; // cannot be joined (different clusters): the newer one goes, the receiver reports it
        }
    }
}
