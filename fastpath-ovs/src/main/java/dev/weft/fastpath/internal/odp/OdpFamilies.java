package dev.weft.fastpath.internal.odp;

import dev.weft.linux.api.Attributes;
import dev.weft.linux.api.KernelException;
import dev.weft.linux.api.MessageWriter;
import dev.weft.linux.api.NetlinkSocket;
import java.util.Optional;

/**
 * The generic netlink family ids (and the vport multicast group id) the kernel assigned to the
 * openvswitch module's families in this boot, looked up by name through the {@code nlctrl}
 * controller ({@code CTRL_CMD_GETFAMILY}, constants from {@code linux/genetlink.h}).
 */
public record OdpFamilies(int datapath, int vport, int flow, int packet, int vportGroup) {

    // linux/genetlink.h: GENL_ID_CTRL, CTRL_CMD_GETFAMILY, enum CTRL_ATTR_*, CTRL_ATTR_MCAST_GRP_*
    private static final int GENL_ID_CTRL = 16;
    private static final int CTRL_CMD_GETFAMILY = 3;
    private static final int CTRL_ATTR_FAMILY_ID = 1;
    private static final int CTRL_ATTR_FAMILY_NAME = 2;
    private static final int CTRL_ATTR_MCAST_GROUPS = 7;
    private static final int CTRL_ATTR_MCAST_GRP_NAME = 1;
    private static final int CTRL_ATTR_MCAST_GRP_ID = 2;
    private static final int ENOENT = 2;

    /**
     * Resolves all four families on {@code socket} (a {@code NETLINK_GENERIC} socket). Empty when
     * the kernel has no openvswitch module (the families are absent). Blocks for a few requests.
     */
    public static Optional<OdpFamilies> resolve(NetlinkSocket socket) {
        int[] datapath = family(socket, OdpUapi.DATAPATH_FAMILY, null);
        if (datapath == null) {
            return Optional.empty();
        }
        int[] vport = family(socket, OdpUapi.VPORT_FAMILY, OdpUapi.VPORT_MCGROUP);
        int[] flow = family(socket, OdpUapi.FLOW_FAMILY, null);
        int[] packet = family(socket, OdpUapi.PACKET_FAMILY, null);
        if (vport == null || flow == null || packet == null) {
            return Optional.empty();
        }
        return Optional.of(new OdpFamilies(datapath[0], vport[0], flow[0], packet[0], vport[1]));
    }

    /** {id, group id (0 if none asked or found)}, or null when the family does not exist. */
    private static int[] family(NetlinkSocket socket, String name, String group) {
        MessageWriter writer = socket.writer()
                .begin(GENL_ID_CTRL, 0)
                .putU8(CTRL_CMD_GETFAMILY)
                .putU8(1)
                .putU16(0)
                .attrString(CTRL_ATTR_FAMILY_NAME, name);
        int[] result = {-1, 0};
        try {
            socket.request(
                    writer,
                    message -> {
                        Attributes attributes = message.attributes(4);
                        while (attributes.next()) {
                            if (attributes.type() == CTRL_ATTR_FAMILY_ID) {
                                result[0] = attributes.u16();
                            } else if (attributes.type() == CTRL_ATTR_MCAST_GROUPS && group != null) {
                                result[1] = groupId(attributes.nested(), group);
                            }
                        }
                    },
                    "generic netlink family " + name);
        } catch (KernelException e) {
            if (e.errno() == ENOENT) {
                return null;
            }
            throw e;
        }
        return result[0] < 0 ? null : result;
    }

    private static int groupId(Attributes groups, String wanted) {
        while (groups.next()) {
            Attributes group = groups.nested();
            String name = null;
            int id = 0;
            while (group.next()) {
                if (group.type() == CTRL_ATTR_MCAST_GRP_NAME) {
                    name = group.string();
                } else if (group.type() == CTRL_ATTR_MCAST_GRP_ID) {
                    id = group.u32();
                }
            }
            if (wanted.equals(name)) {
                return id;
            }
        }
        return 0;
    }
}
