package dev.weft.linux.api;

import static dev.weft.linux.internal.uapi.Rtnl.*;

import dev.weft.linux.internal.uapi.Sys;
import java.net.InetAddress;
import java.util.List;

/**
 * ARP/NDP neighbour entries and bridge/VXLAN forwarding-database (FDB) entries of one namespace
 * (see {@link RtNetlink} for threading and errors).
 *
 * <p>For the VXLAN fast path: {@link #fdbAppend} with {@link MacAddress#ZERO} adds a flood
 * entry per remote VTEP (what {@code bridge fdb append 00:00:00:00:00:00 dev vx dst IP} does), so
 * broadcast and unknown unicast go to every listed VTEP; {@link #fdbReplace} pins one MAC to one
 * VTEP.
 */
public final class Neighbours {
    private final RtNetlink rt;

    Neighbours(RtNetlink rt) {
        this.rt = rt;
    }

    /** Sets a permanent ARP/NDP entry {@code ip -> mac} on a link. Idempotent (replaces). */
    public void replace(int linkIndex, InetAddress ip, MacAddress mac) {
        rt.request(
                RTM_NEWNEIGH,
                Netlink.F_CREATE | Netlink.F_REPLACE,
                w -> {
                    ndmsg(w, MessageWriter.family(ip), linkIndex, NUD_PERMANENT, 0);
                    w.attrAddress(NDA_DST, ip);
                    w.attrBytes(NDA_LLADDR, mac.toBytes());
                },
                "neighbour " + ip.getHostAddress() + " on link #" + linkIndex);
    }

    /** Removes the ARP/NDP entry for {@code ip}. ENOENT if there is none. */
    public void delete(int linkIndex, InetAddress ip) {
        rt.request(
                RTM_DELNEIGH,
                0,
                w -> {
                    ndmsg(w, MessageWriter.family(ip), linkIndex, 0, 0);
                    w.attrAddress(NDA_DST, ip);
                },
                "neighbour " + ip.getHostAddress() + " on link #" + linkIndex);
    }

    /** ARP and NDP entries of all links. */
    public List<Neighbour> list() {
        return dump(Sys.AF_UNSPEC).stream()
                .filter(n -> n.family() != Sys.AF_BRIDGE)
                .toList();
    }

    /**
     * Adds a further remote VTEP for {@code mac} on a VXLAN link (NLM_F_APPEND): with {@link
     * MacAddress#ZERO} a flood entry. Idempotent: appending a remote already listed changes nothing.
     */
    public void fdbAppend(int linkIndex, MacAddress mac, InetAddress remote) {
        fdb(Netlink.F_CREATE | Netlink.F_APPEND, linkIndex, mac, remote);
    }

    /**
     * Points {@code mac} at one remote VTEP on a VXLAN link (or, with {@code remote} null, at a
     * bridge port). Idempotent.
     */
    public void fdbReplace(int linkIndex, MacAddress mac, InetAddress remote) {
        fdb(Netlink.F_CREATE | Netlink.F_REPLACE, linkIndex, mac, remote);
    }

    /**
     * Removes the entry for {@code mac} towards {@code remote} (or the whole entry for {@code
     * mac} when {@code remote} is null). ENOENT if there is none.
     */
    public void fdbDelete(int linkIndex, MacAddress mac, InetAddress remote) {
        rt.request(
                RTM_DELNEIGH,
                0,
                w -> {
                    ndmsg(w, Sys.AF_BRIDGE, linkIndex, 0, NTF_SELF);
                    w.attrBytes(NDA_LLADDR, mac.toBytes());
                    if (remote != null) {
                        w.attrAddress(NDA_DST, remote);
                    }
                },
                fdbSubject(linkIndex, mac, remote));
    }

    /** The FDB entries of one link (a VXLAN device's remotes, or a bridge port's MACs). */
    public List<Neighbour> fdbList(int linkIndex) {
        return dump(Sys.AF_BRIDGE).stream()
                .filter(n -> n.family() == Sys.AF_BRIDGE && n.linkIndex() == linkIndex)
                .toList();
    }

    private void fdb(int flags, int linkIndex, MacAddress mac, InetAddress remote) {
        rt.request(
                RTM_NEWNEIGH,
                flags,
                w -> {
                    ndmsg(w, Sys.AF_BRIDGE, linkIndex, NUD_NOARP | NUD_PERMANENT, NTF_SELF);
                    w.attrBytes(NDA_LLADDR, mac.toBytes());
                    if (remote != null) {
                        w.attrAddress(NDA_DST, remote);
                    }
                },
                fdbSubject(linkIndex, mac, remote));
    }

    private static String fdbSubject(int linkIndex, MacAddress mac, InetAddress remote) {
        return "fdb entry " + mac + (remote != null ? " dst " + remote.getHostAddress() : "") + " on link #"
                + linkIndex;
    }

    private List<Neighbour> dump(int family) {
        return rt.dump(RTM_GETNEIGH, w -> ndmsg(w, family, 0, 0, 0), Neighbours::parse, "neighbours");
    }

    /** struct ndmsg: family, pad, pad, ifindex, state, flags, type (12 bytes). */
    private static void ndmsg(MessageWriter w, int family, int index, int state, int flags) {
        w.putU8(family)
                .putU8(0)
                .putU16(0)
                .putU32(index)
                .putU16(state)
                .putU8(flags)
                .putU8(0);
    }

    static Neighbour parse(NetlinkMessage m) {
        if (m.type() != RTM_NEWNEIGH) {
            return null;
        }
        int family = m.u8(0);
        int index = m.u32(4);
        int state = m.u16(8);
        int flags = m.u8(10);
        InetAddress ip = null;
        MacAddress mac = null;
        int vni = 0;
        int master = 0;
        Attributes a = m.attributes(SIZEOF_NDMSG);
        while (a.next()) {
            switch (a.type()) {
                case NDA_DST -> ip = a.address();
                case NDA_LLADDR -> mac = a.length() == 6 ? MacAddress.of(a.bytes()) : null;
                case NDA_VNI -> vni = a.u32();
                case NDA_MASTER -> master = a.u32();
                default -> {}
            }
        }
        return new Neighbour(index, family, ip, mac, state, flags, vni, master);
    }
}
