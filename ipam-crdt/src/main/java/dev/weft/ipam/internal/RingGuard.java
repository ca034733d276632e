package dev.weft.ipam.internal;

import dev.weft.gossip.api.PeerName;
import dev.weft.ipam.api.Address;

/** Checks on a candidate ring before the allocator adopts it. */
final class RingGuard {

    private RingGuard() {}

    /**
     * Null if adopting {@code candidate} keeps every address this peer has allocated inside space it
     * owns; else a sentence naming the first address that would be taken away and by whom.
     */
    static String conflict(Ring current, Ring candidate, PeerName me, Allocations allocations, PeerName src) {
        for (int k = 0; k < current.size(); k++) {
            if (!current.entry(k).owner().equals(me)) {
                continue;
            }
            long ts = current.entry(k).token();
            long te = current.rangeEnd(k);
            for (int j = candidate.indexOf(ts);
                    j >= 0 && j < candidate.size() && candidate.entry(j).token() < te;
                    j++) {
                PeerName owner = candidate.entry(j).owner();
                if (owner.equals(me)) {
                    continue;
                }
                long ps = Math.max(ts, candidate.entry(j).token());
                long pe = Math.min(te, candidate.rangeEnd(j));
                long used = allocations.firstUsed(ps, pe);
                if (used >= 0) {
                    return "the update from " + (src == null ? "gossip" : src) + " gives " + Address.format(ps) + "-"
                            + Address.format(pe - 1) + " to " + owner + " (version "
                            + candidate.entry(j).version()
                            + "), but this peer owns that space and has allocated in it (e.g. " + Address.format(used)
                            + " for container " + allocations.holder(used) + "). Refusing it: two peers now claim the"
                            + " same space; usually an rmpeer of a live peer or a peer restarted without its store."
                            + " Free the addresses on one side, or remove one side's router with its store";
                }
            }
        }
        return null;
    }

    /** True when both rings agree on tokens, owners, versions, seeds and removals (free counts aside). */
    static boolean sameOwnership(Ring a, Ring b) {
        if (a.size() != b.size()
                || !a.removed().equals(b.removed())
                || !a.seeds().equals(b.seeds())) {
            return false;
        }
        for (int k = 0; k < a.size(); k++) {
            Entry x = a.entry(k);
            Entry y = b.entry(k);
            if (x.token() != y.token()
                    || x.version() != y.version()
                    || !x.owner().equals(y.owner())) {
                return false;
            }
        }
        return true;
    }

    /** True when {@code received} has every entry that {@code ours} gives to {@code heir}, at least as new. */
    static boolean ownershipCovers(Ring received, Ring ours, PeerName heir) {
        for (int k = 0; k < ours.size(); k++) {
            Entry e = ours.entry(k);
            if (!e.owner().equals(heir)) {
                continue;
            }
            int j = received.indexOf(e.token());
            if (j < 0) {
                return false;
            }
            Entry r = received.entry(j);
            if (r.token() != e.token() || !r.owner().equals(heir) || r.version() < e.version()) {
                return false;
            }
        }
        return true;
    }
}
