package dev.weft.ipam.internal;

import dev.weft.gossip.api.PeerName;
import java.util.Comparator;

/**
 * One token of the ring: the range from {@code token} up to the next token belongs to {@code owner}.
 *
 * <p>Two counters, unlike Weave's one: {@code version} changes only when ownership changes (grant,
 * leave, takeover), {@code freeStamp} only when the owner reports a new {@code free} count. Weave
 * bumped the ownership version for every free-count report, so a takeover had to add 100 and still
 * could lose against a busy dead peer's unseen reports; here a takeover adds 1 and always wins.
 *
 * @param token first address of the range (unsigned 32-bit value)
 * @param owner who owns it
 * @param version ownership version, raised by whoever changes the owner
 * @param freeStamp raised by the owner with each new free count
 * @param free free addresses the owner last reported (advisory; read through {@link Ring#free})
 */
public record Entry(long token, PeerName owner, long version, long freeStamp, long free) {

    /**
     * The join order at one token: higher version wins; at equal version the lower owner name wins
     * (only reachable through misuse, but it must be deterministic); then the newer free report.
     */
    public static final Comparator<Entry> ORDER = Comparator.comparingLong(Entry::version)
            .thenComparing(Entry::owner, Comparator.reverseOrder())
            .thenComparingLong(Entry::freeStamp)
            .thenComparingLong(Entry::free);

    /** The greater of two entries for the same token in {@link #ORDER}. */
    public static Entry max(Entry a, Entry b) {
        return ORDER.compare(a, b) >= 0 ? a : b;
    }

    Entry withOwner(PeerName newOwner, long newVersion) {
        return new Entry(token, newOwner, newVersion, freeStamp, free);
    }

    Entry withFree(long newFree, long newStamp) {
        return new Entry(token, owner, version, newStamp, newFree);
    }
}
