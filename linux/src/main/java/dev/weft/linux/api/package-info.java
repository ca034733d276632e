/**
 * The Linux networking kernel from Java (jnr-ffi), for the other Weft modules.
 *
 * <ul>
 *   <li>{@link dev.weft.linux.api.NetNs}: named namespaces (iproute2-compatible), open by path,
 *       {@code call}/{@code run} code on the namespace's dedicated thread; everything created
 *       there (sockets, netlink sockets, TAPs) belongs to the namespace.
 *   <li>{@link dev.weft.linux.api.RtNetlink}: {@link dev.weft.linux.api.Links} (bridge, veth with
 *       the peer in another namespace, VXLAN, up/down, MTU, MAC, master, rename, move), {@link
 *       dev.weft.linux.api.Addresses}, {@link dev.weft.linux.api.Routes}, {@link
 *       dev.weft.linux.api.Neighbours} (ARP/NDP and bridge/VXLAN FDB). Thread-safe.
 *   <li>{@link dev.weft.linux.api.GenericNetlink}: family lookup, requests and dumps for any
 *       family (with a family header), multicast groups and unsolicited messages (OVS upcalls).
 *   <li>{@link dev.weft.linux.api.NetlinkSocket}, {@link dev.weft.linux.api.MessageWriter},
 *       {@link dev.weft.linux.api.NetlinkMessage}, {@link dev.weft.linux.api.Attributes}: the
 *       netlink layer underneath, for requests the typed API lacks.
 *   <li>{@link dev.weft.linux.api.Tap}: TAP frames in and out of caller-owned direct buffers,
 *       one system call and no allocation per frame; vnet header, offloads, multi-queue.
 *   <li>{@link dev.weft.linux.api.Sysctl}: {@code /proc/sys}, per namespace.
 * </ul>
 *
 * <p>Failures are unchecked: {@link dev.weft.linux.api.KernelException} (errno, its name, and the
 * object in the message), {@link dev.weft.linux.api.NetlinkException} (plus message type and the
 * kernel's extended ACK), {@link dev.weft.linux.api.MalformedMessageException} (bytes that are not
 * valid netlink). Java 25 needs {@code --enable-native-access=ALL-UNNAMED}.
 */
package dev.weft.linux.api;
