package dev.weft.ipam.api;

import java.util.List;

/**
 * What IPAM is doing and what, if anything, an operator should do about it. A snapshot, immutable.
 *
 * @param peer this peer's name
 * @param state the overall state
 * @param summary one line for humans, e.g. {@code "awaiting consensus: 2 of 3 expected peers seen
 *     (quorum 2)"}; says exactly what is awaited
 * @param range the universe
 * @param defaultSubnet the default subnet
 * @param init the configured seeding mode
 * @param owners per owning peer: addresses owned, share, reachability
 * @param allocatedHere addresses allocated on this peer (container ownership records)
 * @param freeHere free addresses in the ranges this peer owns
 * @param pendingAllocations allocations waiting (for the ring, or for space)
 * @param pendingClaims claims waiting
 * @param refusedUpdates ring updates refused since start because they would take away space this
 *     peer has allocated in (each one is a conflict an operator must look at)
 * @param lastRefusal the last such refusal explained, or empty
 * @param advice what to do, one line each (e.g. which unreachable peer owns space and the rmpeer
 *     command); empty when nothing needs doing
 */
public record IpamStatus(
        String peer,
        State state,
        String summary,
        Cidr range,
        Cidr defaultSubnet,
        String init,
        List<Owner> owners,
        long allocatedHere,
        long freeHere,
        int pendingAllocations,
        int pendingClaims,
        long refusedUpdates,
        String lastRefusal,
        List<String> advice) {

    public IpamStatus {
        owners = List.copyOf(owners);
        advice = List.copyOf(advice);
    }

    /** The overall state, worst first when several apply. */
    public enum State {
        /** No request has needed the ring yet and nobody has seeded it. */
        IDLE,
        /** Consensus running; the summary says how many peers were seen and the quorum. */
        AWAITING_CONSENSUS,
        /** Observer mode waiting for a peer that has the ring. */
        AWAITING_RING,
        /** Restarted without a store: waiting to hear the ring from the peers named in the summary. */
        RELEARNING,
        /** Ring present; requests wait for space from peers (the summary says which). */
        WAITING_FOR_SPACE,
        /** Ring present; every range is owned by unreachable or removed peers. */
        ALL_SPACE_UNREACHABLE,
        /** Ready to allocate. */
        READY,
        /** This peer handed its space to an heir and serves no more requests. */
        LEFT,
        /** This peer's name was removed by rmpeer on another peer; it must not allocate. */
        REMOVED
    }

    /**
     * One owner of ring space as this peer sees it.
     *
     * @param peer the owner's name
     * @param nickname its nickname (host name) if known, else empty
     * @param addresses addresses it owns
     * @param percent share of the universe, 0 to 100
     * @param free free addresses it last reported
     * @param reachable whether this peer can reach it now (always true for itself)
     * @param removed whether it was removed by rmpeer (its space awaits its heir)
     */
    public record Owner(
            String peer,
            String nickname,
            long addresses,
            double percent,
            long free,
            boolean reachable,
            boolean removed) {}
}
