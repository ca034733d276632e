package dev.weft.ipam.internal;

import dev.weft.gossip.api.PeerName;
import java.util.List;

/**
 * What a store held when it was opened: the state a restarted peer resumes from.
 *
 * @param peer the peer name the store belongs to
 * @param ring the ring (possibly empty)
 * @param ownership every ownership record (all {@code added})
 * @param paxos this node's Paxos claims
 */
public record StoredState(PeerName peer, Ring ring, List<OwnershipChange> ownership, NodeClaims paxos) {

    public StoredState {
        ownership = List.copyOf(ownership);
    }
}
