package dev.weft.ipam.internal;

import dev.weft.gossip.api.PeerName;
import java.util.List;

/**
 * What one Paxos acceptor has promised and accepted. Only the node itself writes its claims; every
 * other copy is a replica, merged by keeping the higher promise and the higher accepted proposal
 * (with its value).
 *
 * @param promise the highest proposal this node promised to
 * @param accepted the proposal whose value it accepted, or NONE
 * @param value the accepted value (the peers to seed the ring with, sorted), empty if none
 */
public record NodeClaims(ProposalId promise, ProposalId accepted, List<PeerName> value) {

    public static final NodeClaims NONE = new NodeClaims(ProposalId.NONE, ProposalId.NONE, List.of());

    public NodeClaims {
        value = List.copyOf(value);
    }

    /** The join of two replicas of the same node's claims. */
    public NodeClaims join(NodeClaims o) {
        ProposalId p = promise.compareTo(o.promise) >= 0 ? promise : o.promise;
        NodeClaims a = accepted.compareTo(o.accepted) >= 0 ? this : o;
        return new NodeClaims(p, a.accepted, a.value);
    }
}
