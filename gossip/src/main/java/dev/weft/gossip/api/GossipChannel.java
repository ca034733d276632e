package dev.weft.gossip.api;

/**
 * The sending side of a named gossip channel (mesh's {@code Gossip}), returned by {@link
 * Mesh#registerChannel}. Peers that have not registered a channel of that name still relay its
 * broadcasts and gossip (mesh's surrogate gossiper), so components can roll out gradually.
 *
 * <p>All methods may be called from any thread; they hand the work to the mesh's actor and return
 * at once (never block on the network).
 */
public interface GossipChannel extends AutoCloseable {

    /** Upper bound of one encoded message (bytes); larger ones are refused. 8 MiB. */
    int MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

    /** Upper bound of a channel name (bytes of US-ASCII). */
    int MAX_NAME_BYTES = 64;

    /** The channel's name, e.g. {@code "IPallocation"}. */
    String name();

    /**
     * Sends {@code message} to {@code destination}, routed hop by hop over the current topology
     * (all reported connections, as mesh's {@code UnicastAll}). Best effort.
     *
     * @return false when no route to {@code destination} is known right now (the message is
     *     dropped); true when it was handed to the first hop, which still does not promise delivery
     * @throws IllegalArgumentException if the message is larger than {@link #MAX_MESSAGE_BYTES}
     */
    boolean unicast(PeerName destination, byte[] message);

    /**
     * Sends {@code update} to every reachable peer along this peer's broadcast tree; each receiver's
     * {@link Gossiper#onBroadcast} decides what to relay. Ownership of {@code update} passes to the
     * mesh.
     */
    void broadcast(GossipData update);

    /**
     * Sends {@code update} to a random subset of neighbours (about 2·log2(peers)); each receiver's
     * {@link Gossiper#onGossip} returns what was new and that spreads on. Ownership of {@code
     * update} passes to the mesh.
     */
    void gossip(GossipData update);

    /** Unregisters the channel: no more callbacks after this returns. Idempotent. */
    @Override
    void close();
}
