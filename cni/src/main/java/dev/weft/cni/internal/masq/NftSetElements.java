package dev.weft.cni.internal.masq;

import dev.weft.linux.api.Errno;
import dev.weft.linux.api.KernelException;
import dev.weft.linux.api.MessageWriter;
import dev.weft.linux.api.NetNs;
import dev.weft.linux.api.Netlink;
import dev.weft.linux.api.NetlinkSocket;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Adds, deletes and looks up IPv4 addresses in one nftables set over netlink
 * ({@code NETLINK_NETFILTER}): what {@code nft add element} does, without forking {@code nft} on
 * every pod's ADD and DEL. Changes go in a batch (batch-begin, the change, batch-end), as the
 * kernel's nf_tables wants; a lookup is a plain request. Constants from the UAPI headers
 * {@code linux/netlink.h}, {@code linux/netfilter/nfnetlink.h} and {@code linux/netfilter/nf_tables.h}.
 *
 * <p>Thread-safe (one socket, one request at a time); every method blocks on the kernel.
 */
final class NftSetElements implements AutoCloseable {
    /** NETLINK_NETFILTER (linux/netlink.h). */
    static final int NETLINK_NETFILTER = 12;
    /** NFNL_SUBSYS_NFTABLES (linux/netfilter/nfnetlink.h). */
    static final int SUBSYS_NFTABLES = 10;
    /** NFNL_MSG_BATCH_BEGIN, NFNL_MSG_BATCH_END: NLMSG_MIN_TYPE and the next (nfnetlink.h). */
    static final int BATCH_BEGIN = 0x10;

    static final int BATCH_END = 0x11;
    /** enum nf_tables_msg_types (nf_tables.h). */
    static final int MSG_NEWSETELEM = 12;

    static final int MSG_GETSETELEM = 13;
    static final int MSG_DELSETELEM = 14;
    /** enum nft_set_elem_list_attributes. */
    static final int SET_ELEM_LIST_TABLE = 1;

    static final int SET_ELEM_LIST_SET = 2;
    static final int SET_ELEM_LIST_ELEMENTS = 3;
    /** enum nft_list_attributes: NFTA_LIST_ELEM. */
    static final int LIST_ELEM = 1;
    /** enum nft_set_elem_attributes: NFTA_SET_ELEM_KEY. */
    static final int SET_ELEM_KEY = 1;
    /** enum nft_data_attributes: NFTA_DATA_VALUE. */
    static final int DATA_VALUE = 1;
    /** NFPROTO_IPV4 (linux/netfilter.h): the family of an {@code ip} table. */
    static final int NFPROTO_IPV4 = 2;

    private final NetlinkSocket socket;
    private final MessageWriter writer = new MessageWriter(256);
    private final String table;
    private final String set;

    private NftSetElements(NetlinkSocket socket, String table, String set) {
        this.socket = socket;
        this.table = table;
        this.set = set;
    }

    /**
     * A client of set {@code set} in table {@code ip table}, in {@code netns} (empty: the caller's
     * namespace). The set need not exist yet.
     *
     * @throws KernelException if the socket cannot be opened (no nf_tables in this kernel)
     */
    static NftSetElements open(Optional<Path> netns, String table, String set) {
        if (netns.isEmpty()) {
            return new NftSetElements(NetlinkSocket.open(NETLINK_NETFILTER), table, set);
        }
        try (NetNs ns = NetNs.open(netns.get())) {
            return new NftSetElements(ns.call(() -> NetlinkSocket.open(NETLINK_NETFILTER)), table, set);
        }
    }

    /**
     * Adds {@code address}; adding one that is there is fine.
     *
     * @throws KernelException with ENOENT if the table or set is missing, or another errno
     */
    synchronized void add(Inet4Address address) {
        change(MSG_NEWSETELEM, Netlink.F_CREATE, address);
    }

    /**
     * Deletes {@code address}; returns false if it was not there (or the set is missing).
     *
     * @throws KernelException for any other failure
     */
    synchronized boolean delete(Inet4Address address) {
        try {
            change(MSG_DELSETELEM, 0, address);
            return true;
        } catch (KernelException e) {
            if (e.errno() == Errno.ENOENT) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Whether {@code address} is in the set (false also when the set or table is missing).
     *
     * @throws KernelException for any other failure
     */
    synchronized boolean contains(Inet4Address address) {
        header(writer.begin(type(MSG_GETSETELEM), 0), NFPROTO_IPV4, 0);
        elements(address);
        int[] replies = {0};
        try {
            socket.request(writer, m -> replies[0]++, "nftables set " + table + " " + set);
        } catch (KernelException e) {
            if (e.errno() == Errno.ENOENT) {
                return false;
            }
            throw e;
        }
        return replies[0] > 0;
    }

    private void change(int message, int flags, Inet4Address address) {
        // in batch-begin and batch-end, nfgenmsg.res_id names the subsystem
        header(writer.begin(BATCH_BEGIN, Netlink.F_REQUEST), 0, SUBSYS_NFTABLES);
        header(writer.next(type(message), Netlink.F_REQUEST | Netlink.F_ACK | flags), NFPROTO_IPV4, 0);
        elements(address);
        header(writer.next(BATCH_END, Netlink.F_REQUEST), 0, SUBSYS_NFTABLES);
        // request() asks batch-end for an ACK too; all three carry one sequence number, so the
        // change's ACK or error ends the wait, and a later ACK is skipped by the next request
        socket.request(writer, m -> {}, "nftables set " + table + " " + set + " element " + address.getHostAddress());
    }

    /** struct nfgenmsg: family, version NFNETLINK_V0, res_id (big-endian). */
    private static void header(MessageWriter w, int family, int resId) {
        w.putU8(family).putU8(0).putU8(resId >>> 8).putU8(resId & 0xff);
    }

    private void elements(Inet4Address address) {
        writer.attrString(SET_ELEM_LIST_TABLE, table).attrString(SET_ELEM_LIST_SET, set);
        int list = writer.beginNested(SET_ELEM_LIST_ELEMENTS);
        int elem = writer.beginNested(LIST_ELEM);
        int key = writer.beginNested(SET_ELEM_KEY);
        writer.attrBytes(DATA_VALUE, address.getAddress());
        writer.endNested(key).endNested(elem).endNested(list);
    }

    private static int type(int message) {
        return (SUBSYS_NFTABLES << 8) | message;
    }

    @Override
    public void close() {
        socket.close();
    }
}
