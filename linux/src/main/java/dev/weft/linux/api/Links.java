package dev.weft.linux.api;

import static dev.weft.linux.internal.uapi.Rtnl.*;

import dev.weft.linux.internal.uapi.Sys;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Network links of one namespace (see {@link RtNetlink} for threading and errors). Names are
 * resolved by the kernel; an absent link gives a {@link NetlinkException} with ENODEV naming it.
 */
public final class Links {
    private final RtNetlink rt;

    Links(RtNetlink rt) {
        this.rt = rt;
    }

    /**
     * Creates a link. Not idempotent: fails with EEXIST if the name is taken (in the namespace
     * it is created in). Blocks for one round trip.
     */
    public void create(LinkSpec spec) {
        rt.request(
                RTM_NEWLINK,
                Netlink.F_CREATE | Netlink.F_EXCL,
                w -> {
                    ifinfomsg(w, 0, spec.upValue() ? IFF_UP : 0, spec.upValue() ? IFF_UP : 0);
                    w.attrString(IFLA_IFNAME, spec.name());
                    if (spec.mtuValue() > 0) {
                        w.attrU32(IFLA_MTU, spec.mtuValue());
                    }
                    if (spec.macValue() != null) {
                        w.attrBytes(IFLA_ADDRESS, spec.macValue().toBytes());
                    }
                    if (spec.masterIndexValue() > 0) {
                        w.attrU32(IFLA_MASTER, spec.masterIndexValue());
                    }
                    if (spec.netNsValue() != null) {
                        w.attrU32(IFLA_NET_NS_FD, spec.netNsValue().fd());
                    }
                    int info = w.beginNestedPlain(IFLA_LINKINFO);
                    w.attrString(IFLA_INFO_KIND, spec.kind());
                    if (spec.peerNameValue() != null) {
                        int data = w.beginNestedPlain(IFLA_INFO_DATA);
                        int peer = w.beginNestedPlain(VETH_INFO_PEER);
                        ifinfomsg(w, 0, 0, 0);
                        w.attrString(IFLA_IFNAME, spec.peerNameValue());
                        if (spec.mtuValue() > 0) {
                            w.attrU32(IFLA_MTU, spec.mtuValue());
                        }
                        if (spec.peerNetNsValue() != null) {
                            w.attrU32(IFLA_NET_NS_FD, spec.peerNetNsValue().fd());
                        }
                        w.endNested(peer);
                        w.endNested(data);
                    } else if (spec.vxlanValue() != null) {
                        writeVxlan(w, spec.vxlanValue());
                    }
                    w.endNested(info);
                },
                spec.kind() + " link " + spec.name());
    }

    /** Deletes a link (a veth deletes its peer too). Fails with ENODEV if absent. */
    public void delete(String name) {
        rt.request(RTM_DELLINK, 0, w -> byName(w, name), "link " + name);
    }

    /** Deletes a link if it exists; returns whether it did. */
    public boolean deleteIfExists(String name) {
        try {
            delete(name);
            return true;
        } catch (NetlinkException e) {
            if (e.notFound()) {
                return false;
            }
            throw e;
        }
    }

    /** The link called {@code name}; NetlinkException ENODEV if there is none. */
    public Link get(String name) {
        return rt.requestOne(RTM_GETLINK, w -> byName(w, name), Links::parse, "link " + name);
    }

    /** The link with index {@code index}; NetlinkException ENODEV if there is none. */
    public Link get(int index) {
        return rt.requestOne(RTM_GETLINK, w -> ifinfomsg(w, index, 0, 0), Links::parse, "link #" + index);
    }

    /** The link called {@code name}, or empty. */
    public Optional<Link> find(String name) {
        try {
            return Optional.of(get(name));
        } catch (NetlinkException e) {
            if (e.notFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** All links of the namespace, by a dump. */
    public List<Link> list() {
        return rt.dump(RTM_GETLINK, w -> ifinfomsg(w, 0, 0, 0), Links::parse, "links");
    }

    /** Sets IFF_UP. Idempotent. */
    public void setUp(String name) {
        change(name, w -> ifinfomsg(w, 0, IFF_UP, IFF_UP));
    }

    /** Clears IFF_UP. Idempotent. */
    public void setDown(String name) {
        change(name, w -> ifinfomsg(w, 0, 0, IFF_UP));
    }

    /** Sets the MTU in bytes. Idempotent. */
    public void setMtu(String name, int mtu) {
        change(name, w -> ifinfomsg(w, 0, 0, 0).attrU32(IFLA_MTU, mtu));
    }

    /** Sets the hardware address. Idempotent. */
    public void setMac(String name, MacAddress mac) {
        change(name, w -> ifinfomsg(w, 0, 0, 0).attrBytes(IFLA_ADDRESS, mac.toBytes()));
    }

    /** Enslaves to the master (bridge) with index {@code masterIndex}; 0 releases it. Idempotent. */
    public void setMaster(String name, int masterIndex) {
        change(name, w -> ifinfomsg(w, 0, 0, 0).attrU32(IFLA_MASTER, masterIndex));
    }

    /** Enslaves to the master (bridge) called {@code master}. Idempotent. */
    public void setMaster(String name, String master) {
        setMaster(name, get(master).index());
    }

    /** Renames a link (the kernel wants it down unless it supports live renames). */
    public void rename(String name, String newName) {
        LinkSpec.checkName(newName);
        int index = get(name).index();
        rt.request(
                RTM_NEWLINK,
                0,
                w -> ifinfomsg(w, index, 0, 0).attrString(IFLA_IFNAME, newName),
                "link " + name + " (rename to " + newName + ")");
    }

    /**
     * Moves a link into namespace {@code target} (the handle must stay open until this returns).
     * The link disappears from this namespace; its index may change there.
     */
    public void moveTo(String name, NetNs target) {
        change(name, w -> ifinfomsg(w, 0, 0, 0).attrU32(IFLA_NET_NS_FD, target.fd()));
    }

    /** Moves a link into {@code target} and renames it there in the same request (e.g. to eth0). */
    public void moveTo(String name, NetNs target, String newName) {
        LinkSpec.checkName(newName);
        int index = get(name).index();
        rt.request(
                RTM_NEWLINK,
                0,
                w -> ifinfomsg(w, index, 0, 0)
                        .attrU32(IFLA_NET_NS_FD, target.fd())
                        .attrString(IFLA_IFNAME, newName),
                "link " + name + " (move to " + target.name() + " as " + newName + ")");
    }

    private void change(String name, RtNetlink.Body body) {
        rt.request(
                RTM_NEWLINK,
                0,
                w -> {
                    body.write(w);
                    w.attrString(IFLA_IFNAME, name);
                },
                "link " + name);
    }

    private static void byName(MessageWriter w, String name) {
        ifinfomsg(w, 0, 0, 0).attrString(IFLA_IFNAME, name);
    }

    /** struct ifinfomsg: family, pad, type, index, flags, change (16 bytes). */
    static MessageWriter ifinfomsg(MessageWriter w, int index, int flags, int change) {
        return w.putU8(Sys.AF_UNSPEC)
                .putU8(0)
                .putU16(0)
                .putU32(index)
                .putU32(flags)
                .putU32(change);
    }

    private static void writeVxlan(MessageWriter w, VxlanInfo v) {
        int data = w.beginNestedPlain(IFLA_INFO_DATA);
        w.attrU32(IFLA_VXLAN_ID, v.vni());
        w.attrU16Be(IFLA_VXLAN_PORT, v.port());
        if (v.local() != null) {
            w.attrAddress(v.local() instanceof Inet4Address ? IFLA_VXLAN_LOCAL : IFLA_VXLAN_LOCAL6, v.local());
        }
        if (v.underlayIndex() > 0) {
            w.attrU32(IFLA_VXLAN_LINK, v.underlayIndex());
        }
        w.attrU8(IFLA_VXLAN_LEARNING, v.learning() ? 1 : 0);
        w.attrU8(IFLA_VXLAN_TTL, v.ttl());
        w.endNested(data);
    }

    /** Parses an RTM_NEWLINK message. */
    static Link parse(NetlinkMessage m) {
        if (m.type() != RTM_NEWLINK) {
            return null;
        }
        int index = m.u32(4);
        int flags = m.u32(8);
        String name = "";
        String kind = "";
        int mtu = 0;
        MacAddress mac = null;
        int master = 0;
        int link = 0;
        int netnsId = -1;
        int oper = 0;
        VxlanInfo vxlan = null;
        Attributes a = m.attributes(SIZEOF_IFINFOMSG);
        while (a.next()) {
            switch (a.type()) {
                case IFLA_IFNAME -> name = a.string();
                case IFLA_MTU -> mtu = a.u32();
                case IFLA_ADDRESS -> mac = a.length() == 6 ? MacAddress.of(a.bytes()) : null;
                case IFLA_MASTER -> master = a.u32();
                case IFLA_LINK -> link = a.u32();
                case IFLA_LINK_NETNSID -> netnsId = a.u32();
                case IFLA_OPERSTATE -> oper = a.u8();
                case IFLA_LINKINFO -> {
                    Attributes info = a.nested();
                    Attributes data = null;
                    while (info.next()) {
                        if (info.type() == IFLA_INFO_KIND) {
                            kind = info.string();
                        } else if (info.type() == IFLA_INFO_DATA) {
                            data = info.nested();
                        }
                    }
                    if (data != null && kind.equals("vxlan")) {
                        vxlan = parseVxlan(data);
                    }
                }
                default -> {}
            }
        }
        return new Link(index, name, kind, flags, mtu, mac, master, link, netnsId, OperState.of(oper), vxlan);
    }

    private static VxlanInfo parseVxlan(Attributes d) {
        int vni = 0;
        int port = 0;
        InetAddress local = null;
        int underlay = 0;
        boolean learning = false;
        int ttl = 0;
        while (d.next()) {
            switch (d.type()) {
                case IFLA_VXLAN_ID -> vni = d.u32();
                case IFLA_VXLAN_PORT -> port = d.u16Be();
                case IFLA_VXLAN_LOCAL, IFLA_VXLAN_LOCAL6 -> local = d.address();
                case IFLA_VXLAN_LINK -> underlay = d.u32();
                case IFLA_VXLAN_LEARNING -> learning = d.u8() != 0;
                case IFLA_VXLAN_TTL -> ttl = d.u8();
                default -> {}
            }
        }
        try {
            return new VxlanInfo(vni, port, local, underlay, learning, ttl);
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException("vxlan link info: " + e.getMessage());
        }
    }
}
