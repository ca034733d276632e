package dev.weft.linux.api;

import static dev.weft.linux.internal.uapi.Rtnl.*;

import java.net.InetAddress;
import java.util.List;

/** Routes of one namespace, IPv4 and IPv6 (see {@link RtNetlink} for threading and errors). */
public final class Routes {
    private final RtNetlink rt;

    Routes(RtNetlink rt) {
        this.rt = rt;
    }

    /** Installs a route. Not idempotent: EEXIST if an equal route exists. */
    public void add(Route r) {
        rt.request(RTM_NEWROUTE, Netlink.F_CREATE | Netlink.F_EXCL, w -> write(w, r, false), subject(r));
    }

    /** Installs a route or replaces the one with the same destination, table and metric. Idempotent. */
    public void replace(Route r) {
        rt.request(RTM_NEWROUTE, Netlink.F_CREATE | Netlink.F_REPLACE, w -> write(w, r, false), subject(r));
    }

    /** Removes a route matching the given fields. ESRCH if there is none. */
    public void delete(Route r) {
        rt.request(RTM_DELROUTE, 0, w -> write(w, r, true), subject(r));
    }

    /** All routes of all tables for both families. */
    public List<Route> list() {
        return rt.dump(RTM_GETROUTE, w -> rtmsg(w, 0, 0, 0, 0, 0, 0), Routes::parse, "routes");
    }

    /** Routes of the main table. */
    public List<Route> listMain() {
        return list().stream().filter(r -> r.table() == Route.TABLE_MAIN).toList();
    }

    private static String subject(Route r) {
        return "route " + r.destination()
                + (r.gateway() != null ? " via " + r.gateway().getHostAddress() : "")
                + (r.outputIndex() > 0 ? " dev #" + r.outputIndex() : "");
    }

    private static void write(MessageWriter w, Route r, boolean delete) {
        int scope = r.scope();
        if (scope < 0) {
            scope = delete ? RT_SCOPE_NOWHERE : r.gateway() == null ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
        }
        IpPrefix dst = r.destination();
        int table = r.table() < 256 ? r.table() : RT_TABLE_UNSPEC;
        rtmsg(w, dst.family(), dst.length(), table, r.protocol(), scope, r.type());
        if (r.table() >= 256) {
            w.attrU32(RTA_TABLE, r.table());
        }
        if (dst.length() > 0) {
            w.attrAddress(RTA_DST, dst.address());
        }
        if (r.gateway() != null) {
            w.attrAddress(RTA_GATEWAY, r.gateway());
        }
        if (r.outputIndex() > 0) {
            w.attrU32(RTA_OIF, r.outputIndex());
        }
        if (r.metric() > 0) {
            w.attrU32(RTA_PRIORITY, r.metric());
        }
        if (r.source() != null) {
            w.attrAddress(RTA_PREFSRC, r.source());
        }
    }

    /** struct rtmsg: family, dst_len, src_len, tos, table, protocol, scope, type, flags (12 bytes). */
    private static void rtmsg(MessageWriter w, int family, int dstLen, int table, int protocol, int scope, int type) {
        w.putU8(family).putU8(dstLen).putU8(0).putU8(0);
        w.putU8(table).putU8(protocol).putU8(scope).putU8(type).putU32(0);
    }

    static Route parse(NetlinkMessage m) {
        if (m.type() != RTM_NEWROUTE) {
            return null;
        }
        int family = m.u8(0);
        int dstLen = m.u8(1);
        int table = m.u8(4);
        int protocol = m.u8(5);
        int scope = m.u8(6);
        int type = m.u8(7);
        InetAddress dst = null;
        InetAddress gateway = null;
        InetAddress source = null;
        int oif = 0;
        int metric = 0;
        Attributes a = m.attributes(SIZEOF_RTMSG);
        while (a.next()) {
            switch (a.type()) {
                case RTA_DST -> dst = a.address();
                case RTA_GATEWAY -> gateway = a.address();
                case RTA_OIF -> oif = a.u32();
                case RTA_PRIORITY -> metric = a.u32();
                case RTA_PREFSRC -> source = a.address();
                case RTA_TABLE -> table = a.u32();
                default -> {}
            }
        }
        if (family != 2 && family != 10) {
            return null; // other families (e.g. multicast routing) are not ours
        }
        try {
            if (dst == null) {
                dst = InetAddress.getByAddress(new byte[family == 2 ? 4 : 16]);
            }
            return new Route(new IpPrefix(dst, dstLen), gateway, oif, table, metric, source, scope, protocol, type);
        } catch (IllegalArgumentException | java.net.UnknownHostException e) {
            throw new MalformedMessageException("RTM_NEWROUTE: " + e.getMessage());
        }
    }
}
