package dev.weft.fastpath.internal.odp;

/**
 * A datapath's counters as the kernel reports them ({@code struct ovs_dp_stats}).
 *
 * @param hit packets that matched a flow
 * @param missed packets that matched none and went up as miss upcalls
 * @param lost misses the kernel could not queue to userspace (dropped)
 * @param flows flows installed now
 */
public record OdpDatapathStats(long hit, long missed, long lost, long flows) {
    public static final OdpDatapathStats NONE = new OdpDatapathStats(0, 0, 0, 0);
}
