package dev.weft.router.ipam;

import dev.weft.ipam.api.IpamStatus;
import java.util.Locale;

/**
 * IPAM's metrics in the Prometheus text format ({@code GET /metrics/ipam}), from one status
 * snapshot: addresses allocated and free here, requests waiting, refused ring updates, space per
 * owner reachability, and the state.
 */
final class IpamMetrics {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private IpamMetrics() {}

    static String render(IpamStatus s) {
        StringBuilder b = new StringBuilder(1024);
        gauge(b, "weft_ipam_allocated_addresses", "Addresses allocated to containers on this peer.", s.allocatedHere());
        gauge(b, "weft_ipam_free_addresses", "Free addresses in the ranges this peer owns.", s.freeHere());
        gauge(
                b,
                "weft_ipam_pending_allocations",
                "Allocations waiting for the ring or for space.",
                s.pendingAllocations());
        gauge(
                b,
                "weft_ipam_pending_claims",
                "Claims waiting for the ring or for the address's owner.",
                s.pendingClaims());
        counter(
                b,
                "weft_ipam_refused_updates_total",
                "Ring updates refused because they would take away space with allocations (each is a conflict to"
                        + " look at).",
                s.refusedUpdates());
        long unreachable = 0;
        long removed = 0;
        long reachable = 0;
        for (IpamStatus.Owner o : s.owners()) {
            if (o.removed()) {
                removed += o.addresses();
            } else if (o.reachable()) {
                reachable += o.addresses();
            } else {
                unreachable += o.addresses();
            }
        }
        b.append("# HELP weft_ipam_ring_addresses Addresses of the ring by the state of their owner as seen here.\n")
                .append("# TYPE weft_ipam_ring_addresses gauge\n");
        line(b, "weft_ipam_ring_addresses{owner=\"reachable\"}", reachable);
        line(b, "weft_ipam_ring_addresses{owner=\"unreachable\"}", unreachable);
        line(b, "weft_ipam_ring_addresses{owner=\"removed\"}", removed);
        b.append("# HELP weft_ipam_state 1 for the current IPAM state (see weft status ipam).\n")
                .append("# TYPE weft_ipam_state gauge\n");
        for (IpamStatus.State st : IpamStatus.State.values()) {
            line(b, "weft_ipam_state{state=\"" + st.name().toLowerCase(Locale.ROOT) + "\"}", st == s.state() ? 1 : 0);
        }
        return b.toString();
    }

    private static void gauge(StringBuilder b, String name, String help, long value) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(" gauge\n");
        line(b, name, value);
    }

    private static void counter(StringBuilder b, String name, String help, long value) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(" counter\n");
        line(b, name, value);
    }

    private static void line(StringBuilder b, String series, long value) {
        b.append(series).append(' ').append(value).append('\n');
    }
}
