package dev.weft.ipam.internal;

import dev.weft.gossip.api.GossipChannel;
import dev.weft.gossip.api.PeerInfo;
import dev.weft.gossip.api.PeerListener;
import dev.weft.gossip.api.PeerName;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link MeshPort} over the gossip module: sends through the IPAM channel, and keeps the peer view
 * from the mesh's peer listener (register it with the IPAM actor as executor).
 */
public final class GossipMeshPort implements MeshPort, PeerListener {

    private final Map<PeerName, PeerInfo> peers = new ConcurrentHashMap<>();
    private volatile GossipChannel channel;
    private volatile Runnable onChange = () -> {};

    /** Sets the channel (after registering the gossiper) and what to run when peers change. */
    public void attach(GossipChannel channel, Runnable onChange) {
        this.channel = channel;
        this.onChange = onChange;
    }

    @Override
    public void unicast(PeerName to, byte[] message) {
        GossipChannel c = channel;
        if (c != null) {
            c.unicast(to, message);
        }
    }

    @Override
    public void broadcast(byte[] message) {
        GossipChannel c = channel;
        if (c != null) {
            c.broadcast(new IpamGossipData(message));
        }
    }

    @Override
    public boolean isReachable(PeerName peer) {
        PeerInfo p = peers.get(peer);
        return p != null && p.reachable() && !p.local();
    }

    @Override
    public Set<PeerName> reachablePeers() {
        Set<PeerName> out = new HashSet<>();
        for (PeerInfo p : peers.values()) {
            if (p.reachable() && !p.local()) {
                out.add(p.name());
            }
        }
        return out;
    }

    @Override
    public String nickname(PeerName peer) {
        PeerInfo p = peers.get(peer);
        return p == null ? null : p.nickname();
    }

    @Override
    public void peerAdded(PeerInfo peer) {
        peers.put(peer.name(), peer);
        onChange.run();
    }

    @Override
    public void peerUpdated(PeerInfo previous, PeerInfo current) {
        peers.put(current.name(), current);
        onChange.run();
    }

    @Override
    public void peerRemoved(PeerInfo last) {
        peers.remove(last.name());
        onChange.run();
    }
}
