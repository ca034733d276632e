package dev.weft.ipam.internal;

import dev.weft.gossip.api.PeerName;

/**
 * A Paxos proposal number: (round, proposer), ordered by round then proposer name. Round 0 means
 * "none".
 *
 * @param round the round; 0 = no proposal
 * @param proposer the proposer's 48-bit name value; 0 with round 0
 */
public record ProposalId(long round, long proposer) implements Comparable<ProposalId> {

    public static final ProposalId NONE = new ProposalId(0, 0);

    public boolean isNone() {
        return round == 0;
    }

    @Override
    public int compareTo(ProposalId o) {
        int c = Long.compare(round, o.round);
        return c != 0 ? c : Long.compare(proposer, o.proposer);
    }

    @Override
    public String toString() {
        return isNone() ? "none" : round + "/" + new PeerName(proposer);
    }
}
