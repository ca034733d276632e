package dev.weft.fastpath.internal.odp;

/**
 * The Open vSwitch datapath's generic netlink interface, as the kernel defines it in the UAPI
 * header {@code linux/openvswitch.h} (Debian's linux-libc-dev 6.1, {@code
 * /usr/include/linux/openvswitch.h}). Every value below is the position of its name in the
 * header's enum (which starts at 0 with an {@code _UNSPEC} member) or a {@code #define} there;
 * the enum or define is named beside each group. Not guessed: a wrong value here silently breaks
 * the datapath, so {@code OdpUapiTest} re-reads the installed header and checks every one.
 */
public final class OdpUapi {
    private OdpUapi() {}

    // #define OVS_DATAPATH_FAMILY / OVS_VPORT_FAMILY / OVS_FLOW_FAMILY / OVS_PACKET_FAMILY
    public static final String DATAPATH_FAMILY = "ovs_datapath";
    public static final String VPORT_FAMILY = "ovs_vport";
    public static final String FLOW_FAMILY = "ovs_flow";
    public static final String PACKET_FAMILY = "ovs_packet";
    /** #define OVS_VPORT_MCGROUP: vport add/delete notifications. */
    public static final String VPORT_MCGROUP = "ovs_vport";

    // #define OVS_DATAPATH_VERSION, OVS_VPORT_VERSION, OVS_FLOW_VERSION, OVS_PACKET_VERSION
    public static final int DATAPATH_VERSION = 2;
    public static final int VPORT_VERSION = 1;
    public static final int FLOW_VERSION = 1;
    public static final int PACKET_VERSION = 1;

    /** sizeof(struct ovs_header): one {@code int dp_ifindex}, after the genl header. */
    public static final int OVS_HEADER_SIZE = 4;

    // enum ovs_datapath_cmd, enum ovs_vport_cmd, enum ovs_flow_cmd (same layout in all three)
    public static final int CMD_NEW = 1;
    public static final int CMD_DEL = 2;
    public static final int CMD_GET = 3;
    public static final int CMD_SET = 4;

    // enum ovs_packet_cmd
    public static final int PACKET_CMD_MISS = 1;
    public static final int PACKET_CMD_ACTION = 2;
    public static final int PACKET_CMD_EXECUTE = 3;

    // enum ovs_datapath_attr
    public static final int DP_ATTR_NAME = 1;
    public static final int DP_ATTR_UPCALL_PID = 2;
    public static final int DP_ATTR_STATS = 3;
    public static final int DP_ATTR_MEGAFLOW_STATS = 4;
    public static final int DP_ATTR_USER_FEATURES = 5;

    // #define OVS_DP_F_UNALIGNED, OVS_DP_F_VPORT_PIDS
    public static final int DP_F_UNALIGNED = 1;
    public static final int DP_F_VPORT_PIDS = 1 << 1;

    // enum ovs_vport_type
    public static final int VPORT_TYPE_NETDEV = 1;
    public static final int VPORT_TYPE_INTERNAL = 2;
    public static final int VPORT_TYPE_GRE = 3;
    public static final int VPORT_TYPE_VXLAN = 4;
    public static final int VPORT_TYPE_GENEVE = 5;

    // enum ovs_vport_attr
    public static final int VPORT_ATTR_PORT_NO = 1;
    public static final int VPORT_ATTR_TYPE = 2;
    public static final int VPORT_ATTR_NAME = 3;
    public static final int VPORT_ATTR_OPTIONS = 4;
    public static final int VPORT_ATTR_UPCALL_PID = 5;
    public static final int VPORT_ATTR_STATS = 6;
    public static final int VPORT_ATTR_IFINDEX = 8;

    // enum (OVS_VPORT_ATTR_OPTIONS attributes for tunnels): OVS_TUNNEL_ATTR_DST_PORT is a u16
    public static final int TUNNEL_ATTR_DST_PORT = 1;

    // enum ovs_flow_attr
    public static final int FLOW_ATTR_KEY = 1;
    public static final int FLOW_ATTR_ACTIONS = 2;
    public static final int FLOW_ATTR_STATS = 3;
    public static final int FLOW_ATTR_TCP_FLAGS = 4;
    public static final int FLOW_ATTR_USED = 5;
    public static final int FLOW_ATTR_CLEAR = 6;
    public static final int FLOW_ATTR_MASK = 7;

    // enum ovs_key_attr
    public static final int KEY_ATTR_ENCAP = 1;
    public static final int KEY_ATTR_PRIORITY = 2;
    public static final int KEY_ATTR_IN_PORT = 3;
    public static final int KEY_ATTR_ETHERNET = 4;
    public static final int KEY_ATTR_VLAN = 5;
    public static final int KEY_ATTR_ETHERTYPE = 6;
    public static final int KEY_ATTR_SKB_MARK = 15;
    public static final int KEY_ATTR_TUNNEL = 16;

    /** sizeof(struct ovs_key_ethernet): eth_src[6], eth_dst[6]. */
    public static final int KEY_ETHERNET_SIZE = 12;

    // enum ovs_tunnel_key_attr
    public static final int TUNNEL_KEY_ATTR_ID = 0;
    public static final int TUNNEL_KEY_ATTR_IPV4_SRC = 1;
    public static final int TUNNEL_KEY_ATTR_IPV4_DST = 2;
    public static final int TUNNEL_KEY_ATTR_TOS = 3;
    public static final int TUNNEL_KEY_ATTR_TTL = 4;
    public static final int TUNNEL_KEY_ATTR_DONT_FRAGMENT = 5;
    public static final int TUNNEL_KEY_ATTR_CSUM = 6;
    public static final int TUNNEL_KEY_ATTR_TP_SRC = 9;
    public static final int TUNNEL_KEY_ATTR_TP_DST = 10;

    // enum ovs_action_attr
    public static final int ACTION_ATTR_OUTPUT = 1;
    public static final int ACTION_ATTR_USERSPACE = 2;
    public static final int ACTION_ATTR_SET = 3;
    public static final int ACTION_ATTR_PUSH_VLAN = 4;
    public static final int ACTION_ATTR_POP_VLAN = 5;

    // enum ovs_packet_attr
    public static final int PACKET_ATTR_PACKET = 1;
    public static final int PACKET_ATTR_KEY = 2;
    public static final int PACKET_ATTR_ACTIONS = 3;

    /** sizeof(struct ovs_flow_stats): __u64 n_packets, __u64 n_bytes. */
    public static final int FLOW_STATS_SIZE = 16;
    /** struct ovs_dp_stats: n_hit, n_missed, n_lost, n_flows (u64 each). */
    public static final int DP_STATS_SIZE = 32;
}
