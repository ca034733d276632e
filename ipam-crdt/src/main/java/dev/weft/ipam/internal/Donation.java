package dev.weft.ipam.internal;

import dev.weft.gossip.api.PeerName;

/**
 * Chooses what a donor gives away when asked for space in {@code [from, to)}: the biggest
 * CIDR-aligned block of free addresses in the donor's ranges there; if that block is more than half
 * of all the donor's free space there, only its upper half (so a donor keeps at least half). Only
 * free addresses are ever chosen: a used address is never inside the block.
 */
public final class Donation {

    private Donation() {}

    /** What to give: {@code [start, end)}; null when the donor has no free space in the range. */
    public record Block(long start, long end) {
        public long size() {
            return end - start;
        }
    }

    /** The block {@code me} gives for a request for {@code [from, to)}, per the rule above. */
    public static Block choose(Ring ring, PeerName me, Allocations allocations, long from, long to) {
        long bestStart = -1;
        long bestSize = 0;
        long totalFree = 0;
        for (int k = Math.max(0, ring.indexOf(Math.max(from, ring.start()))); k < ring.size(); k++) {
            long rs = Math.max(ring.entry(k).token(), from);
            long re = Math.min(ring.rangeEnd(k), to);
            if (rs >= to) {
                break;
            }
            if (rs >= re || !ring.entry(k).owner().equals(me)) {
                continue;
            }
            long a = allocations.nextFree(rs);
            while (a < re) {
                long b = Math.min(allocations.nextUsed(a), re);
                totalFree += b - a;
                // Carve the free run [a, b) into maximal aligned blocks, keep the biggest.
                long x = a;
                while (x < b) {
                    long size = Long.lowestOneBit(x == 0 ? (1L << 32) : x);
                    while (x + size > b) {
                        size >>= 1;
                    }
                    if (size > bestSize) {
                        bestSize = size;
                        bestStart = x;
                    }
                    x += size;
                }
                a = allocations.nextFree(b);
            }
        }
        if (bestSize == 0) {
            return null;
        }
        if (bestSize > 1 && bestSize * 2 > totalFree) {
            return new Block(bestStart + bestSize / 2, bestStart + bestSize);
        }
        return new Block(bestStart, bestStart + bestSize);
    }
}
