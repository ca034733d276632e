package dev.weft.linux.api;

/**
 * A snapshot of a network link (interface) as the kernel reported it.
 *
 * @param index interface index in its namespace
 * @param name interface name
 * @param kind driver kind ({@code "bridge"}, {@code "veth"}, {@code "vxlan"}, {@code "tun"}); empty
 *     for devices without one (loopback, physical)
 * @param flags {@code IFF_*} flags ({@link #isUp()} reads IFF_UP)
 * @param mtu MTU in bytes
 * @param mac hardware address, or null when it has none of 6 bytes
 * @param masterIndex index of the bridge (or other master) it is enslaved to, 0 if none
 * @param linkIndex the underlying or peer link index ({@code IFLA_LINK}), 0 if none
 * @param linkNetnsId namespace id of the peer/underlay when elsewhere, -1 if same namespace
 * @param operState operational state
 * @param vxlan VXLAN configuration when {@code kind} is vxlan, else null
 */
public record Link(
        int index,
        String name,
        String kind,
        int flags,
        int mtu,
        MacAddress mac,
        int masterIndex,
        int linkIndex,
        int linkNetnsId,
        OperState operState,
        VxlanInfo vxlan) {

    /** IFF_UP: administratively up. */
    public boolean isUp() {
        return (flags & 0x1) != 0;
    }

    /** IFF_LOWER_UP: the driver signals carrier. */
    public boolean isLowerUp() {
        return (flags & 0x10000) != 0;
    }
}
