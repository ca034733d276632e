package dev.weft.fastpath.internal.odp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every constant in {@link OdpUapi} equals the installed UAPI header's (Debian's linux-libc-dev). */
class OdpUapiTest {
    private static final Path HEADER = Path.of("/usr/include/linux/openvswitch.h");
    private static String header;

    @BeforeAll
    static void readHeader() throws Exception {
        assumeTrue(Files.isReadable(HEADER), "linux-libc-dev is not installed: no " + HEADER);
        header = Files.readString(HEADER).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
    }

    @Test
    void familiesAndVersions() {
        assertThat(define("OVS_DATAPATH_FAMILY")).isEqualTo("\"" + OdpUapi.DATAPATH_FAMILY + "\"");
        assertThat(define("OVS_VPORT_FAMILY")).isEqualTo("\"" + OdpUapi.VPORT_FAMILY + "\"");
        assertThat(define("OVS_FLOW_FAMILY")).isEqualTo("\"" + OdpUapi.FLOW_FAMILY + "\"");
        assertThat(define("OVS_PACKET_FAMILY")).isEqualTo("\"" + OdpUapi.PACKET_FAMILY + "\"");
        assertThat(define("OVS_VPORT_MCGROUP")).isEqualTo("\"" + OdpUapi.VPORT_MCGROUP + "\"");
        assertThat(Integer.decode(define("OVS_DATAPATH_VERSION"))).isEqualTo(OdpUapi.DATAPATH_VERSION);
        assertThat(Integer.decode(define("OVS_VPORT_VERSION"))).isEqualTo(OdpUapi.VPORT_VERSION);
        assertThat(Integer.decode(define("OVS_FLOW_VERSION"))).isEqualTo(OdpUapi.FLOW_VERSION);
        assertThat(Integer.decode(define("OVS_PACKET_VERSION"))).isEqualTo(OdpUapi.PACKET_VERSION);
        assertThat(define("OVS_DP_F_UNALIGNED")).isEqualTo("(1 << 0)");
        assertThat(define("OVS_DP_F_VPORT_PIDS")).isEqualTo("(1 << 1)");
        assertThat(OdpUapi.DP_F_UNALIGNED).isEqualTo(1);
        assertThat(OdpUapi.DP_F_VPORT_PIDS).isEqualTo(2);
    }

    @Test
    void commands() {
        List<String> dp = members("ovs_datapath_cmd");
        assertThat(dp.indexOf("OVS_DP_CMD_NEW")).isEqualTo(OdpUapi.CMD_NEW);
        assertThat(dp.indexOf("OVS_DP_CMD_DEL")).isEqualTo(OdpUapi.CMD_DEL);
        assertThat(dp.indexOf("OVS_DP_CMD_GET")).isEqualTo(OdpUapi.CMD_GET);
        assertThat(dp.indexOf("OVS_DP_CMD_SET")).isEqualTo(OdpUapi.CMD_SET);
        List<String> vport = members("ovs_vport_cmd");
        assertThat(vport.indexOf("OVS_VPORT_CMD_NEW")).isEqualTo(OdpUapi.CMD_NEW);
        assertThat(vport.indexOf("OVS_VPORT_CMD_SET")).isEqualTo(OdpUapi.CMD_SET);
        List<String> flow = members("ovs_flow_cmd");
        assertThat(flow.indexOf("OVS_FLOW_CMD_NEW")).isEqualTo(OdpUapi.CMD_NEW);
        assertThat(flow.indexOf("OVS_FLOW_CMD_DEL")).isEqualTo(OdpUapi.CMD_DEL);
        assertThat(flow.indexOf("OVS_FLOW_CMD_GET")).isEqualTo(OdpUapi.CMD_GET);
        assertThat(flow.indexOf("OVS_FLOW_CMD_SET")).isEqualTo(OdpUapi.CMD_SET);
        List<String> packet = members("ovs_packet_cmd");
        assertThat(packet.indexOf("OVS_PACKET_CMD_MISS")).isEqualTo(OdpUapi.PACKET_CMD_MISS);
        assertThat(packet.indexOf("OVS_PACKET_CMD_ACTION")).isEqualTo(OdpUapi.PACKET_CMD_ACTION);
        assertThat(packet.indexOf("OVS_PACKET_CMD_EXECUTE")).isEqualTo(OdpUapi.PACKET_CMD_EXECUTE);
    }

    @Test
    void datapathVportAndTunnelAttributes() {
        List<String> dp = members("ovs_datapath_attr");
        assertThat(dp.indexOf("OVS_DP_ATTR_NAME")).isEqualTo(OdpUapi.DP_ATTR_NAME);
        assertThat(dp.indexOf("OVS_DP_ATTR_UPCALL_PID")).isEqualTo(OdpUapi.DP_ATTR_UPCALL_PID);
        assertThat(dp.indexOf("OVS_DP_ATTR_STATS")).isEqualTo(OdpUapi.DP_ATTR_STATS);
        assertThat(dp.indexOf("OVS_DP_ATTR_MEGAFLOW_STATS")).isEqualTo(OdpUapi.DP_ATTR_MEGAFLOW_STATS);
        assertThat(dp.indexOf("OVS_DP_ATTR_USER_FEATURES")).isEqualTo(OdpUapi.DP_ATTR_USER_FEATURES);
        List<String> types = members("ovs_vport_type");
        assertThat(types.indexOf("OVS_VPORT_TYPE_NETDEV")).isEqualTo(OdpUapi.VPORT_TYPE_NETDEV);
        assertThat(types.indexOf("OVS_VPORT_TYPE_INTERNAL")).isEqualTo(OdpUapi.VPORT_TYPE_INTERNAL);
        assertThat(types.indexOf("OVS_VPORT_TYPE_GRE")).isEqualTo(OdpUapi.VPORT_TYPE_GRE);
        assertThat(types.indexOf("OVS_VPORT_TYPE_VXLAN")).isEqualTo(OdpUapi.VPORT_TYPE_VXLAN);
        assertThat(types.indexOf("OVS_VPORT_TYPE_GENEVE")).isEqualTo(OdpUapi.VPORT_TYPE_GENEVE);
        List<String> vport = members("ovs_vport_attr");
        assertThat(vport.indexOf("OVS_VPORT_ATTR_PORT_NO")).isEqualTo(OdpUapi.VPORT_ATTR_PORT_NO);
        assertThat(vport.indexOf("OVS_VPORT_ATTR_TYPE")).isEqualTo(OdpUapi.VPORT_ATTR_TYPE);
        assertThat(vport.indexOf("OVS_VPORT_ATTR_NAME")).isEqualTo(OdpUapi.VPORT_ATTR_NAME);
        assertThat(vport.indexOf("OVS_VPORT_ATTR_OPTIONS")).isEqualTo(OdpUapi.VPORT_ATTR_OPTIONS);
        assertThat(vport.indexOf("OVS_VPORT_ATTR_UPCALL_PID")).isEqualTo(OdpUapi.VPORT_ATTR_UPCALL_PID);
        assertThat(vport.indexOf("OVS_VPORT_ATTR_STATS")).isEqualTo(OdpUapi.VPORT_ATTR_STATS);
        assertThat(vport.indexOf("OVS_VPORT_ATTR_IFINDEX")).isEqualTo(OdpUapi.VPORT_ATTR_IFINDEX);
        assertThat(unnamedEnumContaining("OVS_TUNNEL_ATTR_DST_PORT").indexOf("OVS_TUNNEL_ATTR_DST_PORT"))
                .isEqualTo(OdpUapi.TUNNEL_ATTR_DST_PORT);
        List<String> tunnel = members("ovs_tunnel_key_attr");
        assertThat(tunnel.indexOf("OVS_TUNNEL_KEY_ATTR_ID")).isEqualTo(OdpUapi.TUNNEL_KEY_ATTR_ID);
        assertThat(tunnel.indexOf("OVS_TUNNEL_KEY_ATTR_IPV4_SRC")).isEqualTo(OdpUapi.TUNNEL_KEY_ATTR_IPV4_SRC);
        assertThat(tunnel.indexOf("OVS_TUNNEL_KEY_ATTR_IPV4_DST")).isEqualTo(OdpUapi.TUNNEL_KEY_ATTR_IPV4_DST);
        assertThat(tunnel.indexOf("OVS_TUNNEL_KEY_ATTR_TOS")).isEqualTo(OdpUapi.TUNNEL_KEY_ATTR_TOS);
        assertThat(tunnel.indexOf("OVS_TUNNEL_KEY_ATTR_TTL")).isEqualTo(OdpUapi.TUNNEL_KEY_ATTR_TTL);
        assertThat(tunnel.indexOf("OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT"))
                .isEqualTo(OdpUapi.TUNNEL_KEY_ATTR_DONT_FRAGMENT);
        assertThat(tunnel.indexOf("OVS_TUNNEL_KEY_ATTR_CSUM")).isEqualTo(OdpUapi.TUNNEL_KEY_ATTR_CSUM);
        assertThat(tunnel.indexOf("OVS_TUNNEL_KEY_ATTR_TP_SRC")).isEqualTo(OdpUapi.TUNNEL_KEY_ATTR_TP_SRC);
        assertThat(tunnel.indexOf("OVS_TUNNEL_KEY_ATTR_TP_DST")).isEqualTo(OdpUapi.TUNNEL_KEY_ATTR_TP_DST);
    }

    @Test
    void flowKeyActionAndPacketAttributes() {
        List<String> flow = members("ovs_flow_attr");
        assertThat(flow.indexOf("OVS_FLOW_ATTR_KEY")).isEqualTo(OdpUapi.FLOW_ATTR_KEY);
        assertThat(flow.indexOf("OVS_FLOW_ATTR_ACTIONS")).isEqualTo(OdpUapi.FLOW_ATTR_ACTIONS);
        assertThat(flow.indexOf("OVS_FLOW_ATTR_STATS")).isEqualTo(OdpUapi.FLOW_ATTR_STATS);
        assertThat(flow.indexOf("OVS_FLOW_ATTR_TCP_FLAGS")).isEqualTo(OdpUapi.FLOW_ATTR_TCP_FLAGS);
        assertThat(flow.indexOf("OVS_FLOW_ATTR_USED")).isEqualTo(OdpUapi.FLOW_ATTR_USED);
        assertThat(flow.indexOf("OVS_FLOW_ATTR_CLEAR")).isEqualTo(OdpUapi.FLOW_ATTR_CLEAR);
        assertThat(flow.indexOf("OVS_FLOW_ATTR_MASK")).isEqualTo(OdpUapi.FLOW_ATTR_MASK);
        List<String> key = members("ovs_key_attr");
        assertThat(key.indexOf("OVS_KEY_ATTR_ENCAP")).isEqualTo(OdpUapi.KEY_ATTR_ENCAP);
        assertThat(key.indexOf("OVS_KEY_ATTR_PRIORITY")).isEqualTo(OdpUapi.KEY_ATTR_PRIORITY);
        assertThat(key.indexOf("OVS_KEY_ATTR_IN_PORT")).isEqualTo(OdpUapi.KEY_ATTR_IN_PORT);
        assertThat(key.indexOf("OVS_KEY_ATTR_ETHERNET")).isEqualTo(OdpUapi.KEY_ATTR_ETHERNET);
        assertThat(key.indexOf("OVS_KEY_ATTR_VLAN")).isEqualTo(OdpUapi.KEY_ATTR_VLAN);
        assertThat(key.indexOf("OVS_KEY_ATTR_ETHERTYPE")).isEqualTo(OdpUapi.KEY_ATTR_ETHERTYPE);
        assertThat(key.indexOf("OVS_KEY_ATTR_SKB_MARK")).isEqualTo(OdpUapi.KEY_ATTR_SKB_MARK);
        assertThat(key.indexOf("OVS_KEY_ATTR_TUNNEL")).isEqualTo(OdpUapi.KEY_ATTR_TUNNEL);
        List<String> action = members("ovs_action_attr");
        assertThat(action.indexOf("OVS_ACTION_ATTR_OUTPUT")).isEqualTo(OdpUapi.ACTION_ATTR_OUTPUT);
        assertThat(action.indexOf("OVS_ACTION_ATTR_USERSPACE")).isEqualTo(OdpUapi.ACTION_ATTR_USERSPACE);
        assertThat(action.indexOf("OVS_ACTION_ATTR_SET")).isEqualTo(OdpUapi.ACTION_ATTR_SET);
        assertThat(action.indexOf("OVS_ACTION_ATTR_PUSH_VLAN")).isEqualTo(OdpUapi.ACTION_ATTR_PUSH_VLAN);
        assertThat(action.indexOf("OVS_ACTION_ATTR_POP_VLAN")).isEqualTo(OdpUapi.ACTION_ATTR_POP_VLAN);
        List<String> packet = members("ovs_packet_attr");
        assertThat(packet.indexOf("OVS_PACKET_ATTR_PACKET")).isEqualTo(OdpUapi.PACKET_ATTR_PACKET);
        assertThat(packet.indexOf("OVS_PACKET_ATTR_KEY")).isEqualTo(OdpUapi.PACKET_ATTR_KEY);
        assertThat(packet.indexOf("OVS_PACKET_ATTR_ACTIONS")).isEqualTo(OdpUapi.PACKET_ATTR_ACTIONS);
    }

    @Test
    void structSizes() {
        assertThat(struct("ovs_header")).containsExactly("int dp_ifindex");
        assertThat(OdpUapi.OVS_HEADER_SIZE).isEqualTo(4);
        assertThat(struct("ovs_key_ethernet")).containsExactly("__u8 eth_src[ETH_ALEN]", "__u8 eth_dst[ETH_ALEN]");
        assertThat(OdpUapi.KEY_ETHERNET_SIZE).isEqualTo(2 * 6);
        assertThat(struct("ovs_flow_stats")).containsExactly("__u64 n_packets", "__u64 n_bytes");
        assertThat(OdpUapi.FLOW_STATS_SIZE).isEqualTo(16);
        assertThat(struct("ovs_dp_stats"))
                .containsExactly("__u64 n_hit", "__u64 n_missed", "__u64 n_lost", "__u64 n_flows");
        assertThat(OdpUapi.DP_STATS_SIZE).isEqualTo(32);
    }

    private static String define(String name) {
        Matcher m = Pattern.compile("#define\\s+" + name + "\\s+(.+)").matcher(header);
        assertThat(m.find()).as("#define " + name).isTrue();
        return m.group(1).strip();
    }

    /** The members of {@code enum NAME}, in order (all are implicit, starting at 0). */
    private static List<String> members(String name) {
        Matcher m = Pattern.compile("enum\\s+" + name + "\\s*\\{(.*?)\\};", Pattern.DOTALL)
                .matcher(header);
        assertThat(m.find()).as("enum " + name).isTrue();
        return parse(m.group(1));
    }

    private static List<String> unnamedEnumContaining(String member) {
        Matcher m = Pattern.compile("enum\\s*\\{(.*?)\\};", Pattern.DOTALL).matcher(header);
        while (m.find()) {
            List<String> members = parse(m.group(1));
            if (members.contains(member)) {
                return members;
            }
        }
        throw new AssertionError("no enum with " + member);
    }

    private static List<String> parse(String body) {
        List<String> out = new ArrayList<>();
        for (String line : body.replaceAll("#[^\n]*", "").split(",")) {
            String member = line.strip();
            if (member.isEmpty()) {
                continue;
            }
            assertThat(member).as("explicit values would break the index rule").doesNotContain("=");
            out.add(member);
        }
        return out;
    }

    private static List<String> struct(String name) {
        Matcher m = Pattern.compile("struct\\s+" + name + "\\s*\\{(.*?)\\};", Pattern.DOTALL)
                .matcher(header);
        assertThat(m.find()).as("struct " + name).isTrue();
        List<String> out = new ArrayList<>();
        for (String field : m.group(1).split(";")) {
            String f = field.strip().replaceAll("\\s+", " ");
            if (!f.isEmpty()) {
                out.add(f);
            }
        }
        return out;
    }
}
