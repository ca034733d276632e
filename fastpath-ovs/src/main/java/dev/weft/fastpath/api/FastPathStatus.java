package dev.weft.fastpath.api;

import dev.weft.gossip.api.PeerName;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the fast path looks like now: an immutable snapshot for {@code weft status}.
 *
 * @param driver {@code vxlan} or {@code odp}
 * @param port the bridge port pod frames enter the fast path through
 * @param udpPort the VXLAN UDP port
 * @param mtu the pod MTU in bytes
 * @param links one per mesh connection the fast path serves
 * @param counters the driver's kernel counters in a stable order (ODP: the datapath's {@code hit},
 *     {@code missed}, {@code lost}, {@code flows}: frames that matched a flow, went up as misses,
 *     were dropped for want of room in the upcall queue, and the flows installed); empty for the
 *     VXLAN driver
 */
public record FastPathStatus(
        String driver, String port, int udpPort, int mtu, List<Link> links, Map<String, Long> counters) {

    public FastPathStatus {
        links = List.copyOf(links);
        counters = Collections.unmodifiableMap(new LinkedHashMap<>(counters));
    }

    /**
     * One line for {@code weft status}: the driver, its port, how many links carry frames, and
     * each link that does not with its state and reason. For example {@code vxlan on weft-vxlan
     * (UDP 6784, MTU 1376): 1 of 2 links healthy; 02:00:00:00:00:02 unhealthy: no heartbeat
     * received for 10 s: frames from the peer are lost}; ODP adds its counters after the count,
     * {@code (kernel: hit=... missed=... lost=... flows=...)}.
     */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(driver)
                .append(" on ")
                .append(port)
                .append(" (UDP ")
                .append(udpPort)
                .append(", MTU ")
                .append(mtu)
                .append("): ");
        long healthy = links.stream().filter(l -> l.state().equals("healthy")).count();
        sb.append(healthy).append(" of ").append(links.size()).append(links.size() == 1 ? " link" : " links");
        sb.append(" healthy");
        if (!counters.isEmpty()) {
            sb.append(" (kernel:");
            counters.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
            sb.append(')');
        }
        for (Link l : links) {
            if (!l.state().equals("healthy")) {
                sb.append("; ").append(l.peer()).append(' ').append(l.state());
                if (!l.reason().isEmpty()) {
                    sb.append(": ").append(l.reason());
                }
            }
        }
        return sb.toString();
    }

    /**
     * One connection's fast path.
     *
     * @param peer the peer at the other end
     * @param remote its underlay address
     * @param state {@code pending} (never worked yet), {@code healthy} (carrying pod frames) or
     *     {@code unhealthy} (fell back: sleeve carries the connection)
     * @param reason why it is not healthy, empty when it is
     * @param heartbeatsSent heartbeats sent through the fast path
     * @param acksReceived of those, acknowledged by the peer
     * @param heartbeatsReceived the peer's heartbeats that arrived
     * @param failures how often it went from healthy to unhealthy
     */
    public record Link(
            PeerName peer,
            String remote,
            String state,
            String reason,
            long heartbeatsSent,
            long acksReceived,
            long heartbeatsReceived,
            long failures) {}
}
