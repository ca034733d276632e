package dev.weft.linux.api;

/**
 * Netlink constants other modules need to build their own requests (from the UAPI header
 * {@code linux/netlink.h}): protocols, header flags and control message types.
 */
public final class Netlink {
    /** Protocol: routing and devices (rtnetlink). */
    public static final int ROUTE = 0;
    /** Protocol: generic netlink (nlctrl, ovs_*, ...). */
    public static final int GENERIC = 16;

    /** struct nlmsghdr is 16 bytes; attributes and payloads are aligned to 4. */
    public static final int HEADER_LENGTH = 16;

    public static final int ALIGNTO = 4;

    public static final int F_REQUEST = 0x01;
    public static final int F_MULTI = 0x02;
    public static final int F_ACK = 0x04;
    public static final int F_ECHO = 0x08;
    public static final int F_DUMP_INTR = 0x10;
    // Modifiers of GET requests.
    public static final int F_ROOT = 0x100;
    public static final int F_MATCH = 0x200;
    public static final int F_DUMP = F_ROOT | F_MATCH;
    // Modifiers of NEW requests.
    public static final int F_REPLACE = 0x100;
    public static final int F_EXCL = 0x200;
    public static final int F_CREATE = 0x400;
    public static final int F_APPEND = 0x800;
    // Flags of ACK messages.
    public static final int F_CAPPED = 0x100;
    public static final int F_ACK_TLVS = 0x200;

    public static final int NLMSG_NOOP = 1;
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    public static final int NLMSG_OVERRUN = 4;

    /** nlattr type bits: the payload is itself attributes / is in network byte order. */
    public static final int NLA_F_NESTED = 0x8000;

    public static final int NLA_F_NET_BYTEORDER = 0x4000;
    public static final int NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

    private Netlink() {}

    /** {@code NLMSG_ALIGN}/{@code NLA_ALIGN}: rounds up to a multiple of 4. */
    public static int align(int length) {
        return (length + ALIGNTO - 1) & -ALIGNTO;
    }
}
