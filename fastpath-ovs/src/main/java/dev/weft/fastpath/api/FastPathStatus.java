package dev.weft.fastpath.api;

import dev.weft.gossip.api.PeerName;
import java.util.List;

/**
 * What the fast path looks like now: an immutable snapshot for {@code weft status}.
 *
 * @param driver {@code vxlan} or {@code odp}
 * @param port the bridge port pod frames enter the fast path through
 * @param udpPort the VXLAN UDP port
 * @param mtu the pod MTU in bytes
 * @param links one per mesh connection the fast path serves
 */
public record FastPathStatus(String driver, String port, int udpPort, int mtu, List<Link> links) {

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
