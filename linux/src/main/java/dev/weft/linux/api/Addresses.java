package dev.weft.linux.api;

import static dev.weft.linux.internal.uapi.Rtnl.*;

import java.net.InetAddress;
import java.util.List;

/**
 * IPv4 and IPv6 addresses of one namespace's links (see {@link RtNetlink} for threading and
 * errors). IPv6 addresses are added with IFA_F_NODAD: Weft assigns them centrally, and duplicate
 * address detection would only keep them unusable ("tentative") for a second or two.
 */
public final class Addresses {
    private final RtNetlink rt;

    Addresses(RtNetlink rt) {
        this.rt = rt;
    }

    /** Adds an address. Not idempotent: EEXIST if the link already has it. */
    public void add(int linkIndex, IpPrefix prefix) {
        rt.request(
                RTM_NEWADDR,
                Netlink.F_CREATE | Netlink.F_EXCL,
                w -> write(w, linkIndex, prefix),
                "address " + prefix + " on link #" + linkIndex);
    }

    /** Adds an address or updates it if present. Idempotent. */
    public void replace(int linkIndex, IpPrefix prefix) {
        rt.request(
                RTM_NEWADDR,
                Netlink.F_CREATE | Netlink.F_REPLACE,
                w -> write(w, linkIndex, prefix),
                "address " + prefix + " on link #" + linkIndex);
    }

    /** Removes an address. EADDRNOTAVAIL if the link does not have it. */
    public void delete(int linkIndex, IpPrefix prefix) {
        rt.request(RTM_DELADDR, 0, w -> write(w, linkIndex, prefix), "address " + prefix + " on link #" + linkIndex);
    }

    /** All addresses of both families. */
    public List<Address> list() {
        return rt.dump(RTM_GETADDR, w -> ifaddrmsg(w, 0, 0, 0, 0, 0), Addresses::parse, "addresses");
    }

    /** The addresses on one link. */
    public List<Address> list(int linkIndex) {
        return list().stream().filter(a -> a.linkIndex() == linkIndex).toList();
    }

    private static void write(MessageWriter w, int linkIndex, IpPrefix p) {
        boolean v6 = !p.isIpv4();
        int flags = v6 ? IFA_F_NODAD : 0;
        ifaddrmsg(w, p.family(), p.length(), flags, RT_SCOPE_UNIVERSE, linkIndex);
        w.attrAddress(IFA_LOCAL, p.address());
        w.attrAddress(IFA_ADDRESS, p.address());
        if (v6) {
            w.attrU32(IFA_FLAGS, flags);
        }
    }

    /** struct ifaddrmsg: family, prefixlen, flags, scope, index (8 bytes). */
    private static MessageWriter ifaddrmsg(MessageWriter w, int family, int len, int flags, int scope, int index) {
        return w.putU8(family).putU8(len).putU8(flags).putU8(scope).putU32(index);
    }

    static Address parse(NetlinkMessage m) {
        if (m.type() != RTM_NEWADDR) {
            return null;
        }
        int prefixLength = m.u8(1);
        int flags = m.u8(2);
        int scope = m.u8(3);
        int index = m.u32(4);
        InetAddress address = null;
        InetAddress local = null;
        String label = "";
        Attributes a = m.attributes(SIZEOF_IFADDRMSG);
        while (a.next()) {
            switch (a.type()) {
                case IFA_ADDRESS -> address = a.address();
                case IFA_LOCAL -> local = a.address();
                case IFA_LABEL -> label = a.string();
                case IFA_FLAGS -> flags = a.u32();
                default -> {}
            }
        }
        // IPv4 point-to-point links report the peer as IFA_ADDRESS and ours as IFA_LOCAL.
        InetAddress ours = local != null ? local : address;
        if (ours == null) {
            throw new MalformedMessageException("RTM_NEWADDR for link #" + index + " without an address");
        }
        try {
            return new Address(index, new IpPrefix(ours, prefixLength), scope, flags, label);
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException("RTM_NEWADDR: " + e.getMessage());
        }
    }
}
