package dev.weft.gossip.api;

import java.util.List;

/**
 * An immutable snapshot of this peer's routes, computed by deterministic breadth-first search over
 * the topology (each BFS level sorted by peer name), so every peer with the same topology computes
 * the same next hops and broadcast trees.
 *
 * <p>Two variants, as in mesh: the data-plane variant uses only connections that are established
 * and reported by both ends (symmetric); the "all" variant uses every reported connection (for
 * gossip relays). All methods are pure lookups: any thread, never block, allocate nothing.
 */
public interface Routes {

    /**
     * The neighbour to hand a data-plane packet for {@code destination} to (over established,
     * symmetric connections), {@code destination} itself if it is a neighbour, or {@code null} if it
     * is unreachable or is this peer.
     */
    PeerName unicastNextHop(PeerName destination);

    /** As {@link #unicastNextHop} over all reported connections (used by gossip unicast). */
    PeerName unicastAllNextHop(PeerName destination);

    /**
     * The neighbours this peer forwards a data-plane broadcast originated by {@code origin} to
     * (established, symmetric connections); empty if none. {@code origin} may be this peer.
     */
    List<PeerName> broadcastNextHops(PeerName origin);

    /** As {@link #broadcastNextHops} over all reported connections (used by gossip broadcast). */
    List<PeerName> broadcastAllNextHops(PeerName origin);

    /**
     * Increases each time routes are recalculated from a different topology graph (any connection
     * or established flag changed), so unicast or broadcast routes may differ.
     */
    long revision();
}
