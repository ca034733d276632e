package dev.weft.ipam.internal;

import dev.weft.gossip.api.PeerName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Single-decree Paxos run over gossip, to agree on the peers that seed the ring (Weave's
 * {@code --ipalloc-init=consensus}). Every voter is proposer and acceptor; the whole knowledge
 * (node -> {@link NodeClaims}) is gossiped and joined, and each node writes only its own claims.
 *
 * <p>Differences from Weave: nodes are keyed by peer name (not name+UID) and a node's own claims
 * are persisted, so a restarted node keeps its promises (and one that lost its store re-learns
 * them from the others' replicas) instead of becoming an extra acceptor that could let two
 * quorums not intersect; consensus means a quorum accepted the <em>same proposal</em>.
 *
 * <p>Not thread-safe: owned by the allocator actor.
 */
public final class Paxos {

    private final PeerName me;
    private final int quorum;
    private final boolean voter;
    private final Map<PeerName, NodeClaims> knowledge = new TreeMap<>();

    /**
     * @param quorum votes needed (expected/2+1)
     * @param voter false for observers: they learn the outcome but never vote
     * @param mine this node's persisted claims (NONE when new)
     */
    public Paxos(PeerName me, int quorum, boolean voter, NodeClaims mine) {
        this.me = me;
        this.quorum = quorum;
        this.voter = voter;
        if (voter) {
            knowledge.put(me, mine);
        }
    }

    /** Joins received knowledge into ours. Returns true if anything changed. */
    public boolean merge(Map<PeerName, NodeClaims> received) {
        boolean changed = false;
        for (Map.Entry<PeerName, NodeClaims> e : received.entrySet()) {
            if (!voter && e.getKey().equals(me)) {
                continue;
            }
            NodeClaims old = knowledge.get(e.getKey());
            NodeClaims joined = old == null ? e.getValue() : old.join(e.getValue());
            if (!joined.equals(old)) {
                knowledge.put(e.getKey(), joined);
                changed = true;
            }
        }
        return changed;
    }

    /** Starts a new round above every round seen, with this node as proposer. No-op for observers. */
    public void propose() {
        if (!voter) {
            return;
        }
        long max = 0;
        for (NodeClaims c : knowledge.values()) {
            max = Math.max(max, Math.max(c.promise().round(), c.accepted().round()));
        }
        NodeClaims mine = knowledge.get(me);
        knowledge.put(me, new NodeClaims(new ProposalId(max + 1, me.value()), mine.accepted(), mine.value()));
    }

    /**
     * One step of the protocol on the current knowledge: promise the highest proposal seen; as its
     * proposer, accept a value once a quorum promised; as an acceptor, accept the value the
     * proposer we promised accepted. Returns true if our claims changed.
     */
    public boolean think() {
        if (!voter) {
            return false;
        }
        NodeClaims before = knowledge.get(me);
        NodeClaims mine = before;
        ProposalId highest = mine.promise();
        for (NodeClaims c : knowledge.values()) {
            if (c.promise().compareTo(highest) > 0) {
                highest = c.promise();
            }
        }
        if (!highest.equals(mine.promise())) {
            mine = new NodeClaims(highest, mine.accepted(), mine.value());
        }
        ProposalId p = mine.promise();
        if (!p.isNone() && !mine.accepted().equals(p)) {
            if (p.proposer() == me.value()) {
                List<NodeClaims> promisers = new ArrayList<>();
                for (NodeClaims c : knowledge.values()) {
                    if (c.promise().equals(p)) {
                        promisers.add(c);
                    }
                }
                if (promisers.size() >= quorum) {
                    NodeClaims best = null;
                    for (NodeClaims c : promisers) {
                        if (!c.accepted().isNone()
                                && (best == null || c.accepted().compareTo(best.accepted()) > 0)) {
                            best = c;
                        }
                    }
                    List<PeerName> value = best != null ? best.value() : List.copyOf(knowledge.keySet());
                    mine = new NodeClaims(p, p, value);
                }
            } else {
                for (NodeClaims c : knowledge.values()) {
                    if (c.accepted().equals(p)) {
                        mine = new NodeClaims(p, p, c.value());
                        break;
                    }
                }
            }
        }
        knowledge.put(me, mine);
        return !mine.equals(before);
    }

    /** The agreed seed peers, once a quorum accepted the same proposal. */
    public Optional<List<PeerName>> consensus() {
        Map<ProposalId, Integer> counts = new HashMap<>();
        for (NodeClaims c : knowledge.values()) {
            if (!c.accepted().isNone() && counts.merge(c.accepted(), 1, Integer::sum) >= quorum) {
                return Optional.of(c.value());
            }
        }
        return Optional.empty();
    }

    /** Voters seen so far (this one included). */
    public int votersSeen() {
        return knowledge.size();
    }

    public int quorum() {
        return quorum;
    }

    /** This node's own claims (what the store keeps). */
    public NodeClaims mine() {
        return knowledge.getOrDefault(me, NodeClaims.NONE);
    }

    /** A copy of the knowledge, to gossip. */
    public Map<PeerName, NodeClaims> knowledge() {
        return Map.copyOf(knowledge);
    }
}
