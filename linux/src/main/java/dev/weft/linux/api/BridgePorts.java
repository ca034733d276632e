package dev.weft.linux.api;

import static dev.weft.linux.internal.uapi.Rtnl.*;

import dev.weft.linux.internal.uapi.Sys;
import java.util.List;

/**
 * Per-port settings and forwarding-database (FDB) entries of Linux bridges in one namespace (see
 * {@link RtNetlink} for threading and errors): what {@code bridge link set} and {@code bridge fdb
 * ... master} do.
 *
 * <p>Split horizon for overlays: ports that carry frames to other hosts by different means (a VXLAN
 * device, a userspace data plane's TAP) are made {@linkplain #setIsolated isolated}, so the bridge
 * never passes a frame from one to the other; pods on ordinary ports reach both.
 */
public final class BridgePorts {
    /** NUD_NOARP | NUD_REACHABLE: a static entry ({@code bridge fdb add ... static}); never ages. */
    private static final int STATIC = NUD_NOARP | NUD_REACHABLE;

    private final RtNetlink rt;

    BridgePorts(RtNetlink rt) {
        this.rt = rt;
    }

    /** Isolates the port (or not): no frames between two isolated ports. Idempotent. */
    public void setIsolated(int portIndex, boolean on) {
        set(portIndex, IFLA_BRPORT_ISOLATED, on, "isolated");
    }

    /** Whether the bridge learns source MACs on the port. Idempotent. */
    public void setLearning(int portIndex, boolean on) {
        set(portIndex, IFLA_BRPORT_LEARNING, on, "learning");
    }

    /**
     * Whether unknown unicast, unregistered multicast and broadcast frames are flooded out of the
     * port (all three together); off, the port only gets frames addressed to MACs the bridge has
     * on it. Idempotent.
     */
    public void setFlooding(int portIndex, boolean on) {
        change(
                portIndex,
                w -> w.attrU8(IFLA_BRPORT_UNICAST_FLOOD, on ? 1 : 0)
                        .attrU8(IFLA_BRPORT_MCAST_FLOOD, on ? 1 : 0)
                        .attrU8(IFLA_BRPORT_BCAST_FLOOD, on ? 1 : 0),
                "flooding " + (on ? "on" : "off"));
    }

    /** Forgets every MAC the bridge learnt on the port (static entries stay). Idempotent. */
    public void flushLearned(int portIndex) {
        change(portIndex, w -> w.attr(IFLA_BRPORT_FLUSH), "flush");
    }

    /** The bridge ports of the namespace with their settings. */
    public List<BridgePort> list() {
        return rt.dump(RTM_GETLINK, w -> ifinfomsg(w, 0), BridgePorts::parse, "bridge ports");
    }

    /** The bridge port with this index; KernelException ENODEV if it is no bridge port. */
    public BridgePort get(int portIndex) {
        for (BridgePort p : list()) {
            if (p.index() == portIndex) {
                return p;
            }
        }
        throw new KernelException("bridge port #" + portIndex, Errno.ENODEV);
    }

    /**
     * Pins {@code mac} to the port in its bridge's FDB as a static entry that never ages and is
     * never overwritten by learning. Idempotent (replaces).
     */
    public void addStatic(int portIndex, MacAddress mac) {
        rt.request(
                RTM_NEWNEIGH,
                Netlink.F_CREATE | Netlink.F_REPLACE,
                w -> {
                    ndmsg(w, portIndex, STATIC);
                    w.attrBytes(NDA_LLADDR, mac.toBytes());
                },
                subject(portIndex, mac));
    }

    /** Removes the bridge's FDB entry for {@code mac} on the port. ENOENT if there is none. */
    public void deleteEntry(int portIndex, MacAddress mac) {
        rt.request(
                RTM_DELNEIGH,
                0,
                w -> {
                    ndmsg(w, portIndex, 0);
                    w.attrBytes(NDA_LLADDR, mac.toBytes());
                },
                subject(portIndex, mac));
    }

    /** The bridge's FDB entries on the port (learnt, static and the port's own addresses). */
    public List<Neighbour> entries(int portIndex) {
        return rt
                .dump(
                        RTM_GETNEIGH,
                        w -> w.putU8(Sys.AF_BRIDGE)
                                .putU8(0)
                                .putU16(0)
                                .putU32(0)
                                .putU16(0)
                                .putU8(0)
                                .putU8(0),
                        Neighbours::parse,
                        "bridge fdb")
                .stream()
                // the bridge's entries carry NDA_MASTER; the port device's own (NTF_SELF) do not
                .filter(n -> n.family() == Sys.AF_BRIDGE && n.linkIndex() == portIndex && n.masterIndex() != 0)
                .toList();
    }

    private void set(int portIndex, int attribute, boolean on, String what) {
        change(portIndex, w -> w.attrU8(attribute, on ? 1 : 0), what + (on ? " on" : " off"));
    }

    private void change(int portIndex, RtNetlink.Body protinfo, String what) {
        rt.request(
                RTM_SETLINK,
                0,
                w -> {
                    ifinfomsg(w, portIndex);
                    int nest = w.beginNested(IFLA_PROTINFO);
                    protinfo.write(w);
                    w.endNested(nest);
                },
                "bridge port #" + portIndex + " (" + what + ")");
    }

    private static String subject(int portIndex, MacAddress mac) {
        return "bridge fdb entry " + mac + " on port #" + portIndex;
    }

    /** struct ifinfomsg of family AF_BRIDGE: the bridge's view of a port. */
    private static void ifinfomsg(MessageWriter w, int index) {
        w.putU8(Sys.AF_BRIDGE).putU8(0).putU16(0).putU32(index).putU32(0).putU32(0);
    }

    /** struct ndmsg for the bridge (master) FDB. */
    private static void ndmsg(MessageWriter w, int index, int state) {
        w.putU8(Sys.AF_BRIDGE)
                .putU8(0)
                .putU16(0)
                .putU32(index)
                .putU16(state)
                .putU8(NTF_MASTER)
                .putU8(0);
    }

    /** Parses an AF_BRIDGE RTM_NEWLINK of a bridge port; null for anything else. */
    static BridgePort parse(NetlinkMessage m) {
        if (m.type() != RTM_NEWLINK || m.u8(0) != Sys.AF_BRIDGE) {
            return null;
        }
        int index = m.u32(4);
        String name = "";
        int master = 0;
        boolean learning = false;
        boolean unicastFlood = false;
        boolean multicastFlood = false;
        boolean broadcastFlood = false;
        boolean isolated = false;
        boolean port = false;
        Attributes a = m.attributes(SIZEOF_IFINFOMSG);
        while (a.next()) {
            switch (a.type()) {
                case IFLA_IFNAME -> name = a.string();
                case IFLA_MASTER -> master = a.u32();
                case IFLA_PROTINFO -> {
                    port = true;
                    Attributes p = a.nested();
                    while (p.next()) {
                        if (p.length() < 1) {
                            continue;
                        }
                        boolean on = p.u8() != 0;
                        switch (p.type()) {
                            case IFLA_BRPORT_LEARNING -> learning = on;
                            case IFLA_BRPORT_UNICAST_FLOOD -> unicastFlood = on;
                            case IFLA_BRPORT_MCAST_FLOOD -> multicastFlood = on;
                            case IFLA_BRPORT_BCAST_FLOOD -> broadcastFlood = on;
                            case IFLA_BRPORT_ISOLATED -> isolated = on;
                            default -> {}
                        }
                    }
                }
                default -> {}
            }
        }
        if (!port || master == 0) {
            return null; // the bridge device itself, or a link of no bridge
        }
        return new BridgePort(index, name, master, learning, unicastFlood, multicastFlood, broadcastFlood, isolated);
    }
}
