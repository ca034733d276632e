package dev.weft.fastpath.internal.driver;

import dev.weft.gossip.api.PeerName;
import java.net.Inet4Address;

/**
 * One mesh connection's fast path as a driver sees it. Immutable.
 *
 * @param peer the peer at the other end
 * @param connectionUid the mesh connection's UID (the same at both ends)
 * @param remote the peer's underlay address (the TCP connection's remote IP)
 * @param local our underlay address towards it (the TCP connection's local IP)
 * @param heartbeatMac the MAC the peer's heartbeats use (VXLAN driver), 0 when none
 */
public record PeerPath(PeerName peer, long connectionUid, Inet4Address remote, Inet4Address local, long heartbeatMac) {

    /** The address as a 32-bit number (the form the datapath's tunnel keys use). */
    public static int ipv4(Inet4Address address) {
        byte[] b = address.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }
}
