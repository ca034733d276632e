package dev.weft.gossip.api;

/**
 * The receiving side of a gossip channel, implemented by the component that owns the replicated
 * state (mesh's {@code Gossiper}). Register it with {@link Mesh#registerChannel}.
 *
 * <p>Threads: every method is called on the scheduler given at registration (the mesh's own actor
 * by default), one call at a time, in the order messages arrived on each connection. Methods must
 * not block. Message arrays belong to the callee after the call and must be treated as immutable:
 * they may be retained without copying, and in the simulator the same array is delivered to many
 * peers.
 *
 * <p>Errors: a method that throws (preferably {@link GossipException}) rejects the message; the mesh
 * logs the reason and closes the connection the message arrived on, as mesh does, so a peer
 * sending garbage is disconnected rather than believed.
 */
public interface Gossiper {

    /**
     * A point-to-point message addressed to this peer by {@code source}, which may be several hops
     * away. Delivery is best effort: routes change, connections drop.
     */
    void onUnicast(PeerName source, byte[] message);

    /**
     * A broadcast originated by {@code origin}: merge it and return what should travel on along
     * the broadcast tree (usually the received update, or the part of it that was new), or {@code
     * null} to stop relaying it here.
     */
    GossipData onBroadcast(PeerName origin, byte[] update);

    /**
     * Gossip from the neighbour {@code sender} (one hop): merge it and return what was new to this
     * peer, or {@code null} when nothing was. The returned data is gossiped on to a random subset of
     * neighbours, so an update spreads epidemically and stops where it is no longer news.
     */
    GossipData onGossip(PeerName sender, byte[] update);

    /**
     * Everything this peer knows, or {@code null} for nothing. Called periodically (anti-entropy)
     * and when a new or restarted peer connects.
     */
    GossipData fullState();
}
