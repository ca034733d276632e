package dev.weft.ipam.api;

import java.util.List;

/**
 * A snapshot of this peer's view of the ring, for {@code GET /ring} and status. Immutable.
 *
 * @param range the universe
 * @param seeds the peers the ring was seeded with (names)
 * @param removed peers removed by rmpeer (names); their space goes to their heirs
 * @param ranges every range in address order, covering the universe; empty before seeding
 */
public record RingView(Cidr range, List<String> seeds, List<String> removed, List<Range> ranges) {

    public RingView {
        seeds = List.copyOf(seeds);
        removed = List.copyOf(removed);
        ranges = List.copyOf(ranges);
    }

    /**
     * One range of the ring: from its token up to the next token.
     *
     * @param start first address
     * @param end last address (inclusive, so that the whole IPv4 space can be written)
     * @param owner the owning peer's name
     * @param version ownership version (raised on every change of owner)
     * @param free addresses free in it as last reported by the owner (advisory)
     */
    public record Range(Address start, Address end, String owner, long version, long free) {
        /** Number of addresses in this range. */
        public long size() {
            return end.value() - start.value() + 1;
        }
    }
}
