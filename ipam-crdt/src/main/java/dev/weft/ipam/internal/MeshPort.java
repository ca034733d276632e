package dev.weft.ipam.internal;

import dev.weft.gossip.api.PeerName;
import java.util.Set;

/**
 * What the allocator needs from the mesh: the IPAM gossip channel's sending side and the peer
 * view. Implemented over the gossip module's channel in the router, and by the simulator in tests.
 *
 * <p>Called only on the allocator's actor thread, and only with bytes that are already durable
 * (the allocator releases sends after the store has committed the state they describe).
 * Implementations must not block; delivery is best-effort (the protocol retries).
 */
public interface MeshPort {

    /** Sends {@code message} to one peer (routed through others if needed). Ownership of the array passes. */
    void unicast(PeerName to, byte[] message);

    /** Sends {@code message} to every peer. Ownership of the array passes. */
    void broadcast(byte[] message);

    /** Whether {@code peer} is reachable through the mesh right now. */
    boolean isReachable(PeerName peer);

    /** The peers reachable right now, this one excluded. */
    Set<PeerName> reachablePeers();

    /** The peer's nickname (host name) if known, else null. */
    String nickname(PeerName peer);
}
