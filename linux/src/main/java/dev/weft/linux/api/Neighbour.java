package dev.weft.linux.api;

import java.net.InetAddress;

/**
 * A neighbour (ARP/NDP) entry or a bridge/VXLAN forwarding-database entry, as the kernel
 * reported it.
 *
 * @param linkIndex the link it belongs to
 * @param family 2 (IPv4 ARP), 10 (IPv6 NDP) or 7 (AF_BRIDGE: an FDB entry)
 * @param ip the neighbour's IP for ARP/NDP; for VXLAN FDB entries the remote VTEP; may be null
 * @param mac the link-layer address, or null (incomplete entries)
 * @param state {@code NUD_*} state bits (0x80 permanent, 0x40 noarp, 0x02 reachable, ...)
 * @param flags {@code NTF_*} flags (0x02 self, 0x04 master, ...)
 * @param vni the VNI of a VXLAN FDB entry, or 0
 * @param masterIndex the bridge of a bridge FDB entry, or 0
 */
public record Neighbour(
        int linkIndex, int family, InetAddress ip, MacAddress mac, int state, int flags, int vni, int masterIndex) {

    /** NUD_PERMANENT: a static entry that never expires. */
    public boolean isPermanent() {
        return (state & 0x80) != 0;
    }
}
