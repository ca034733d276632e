package dev.weft.cni.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.cni.internal.masq.NftMasquerade;
import dev.weft.cni.libcni.CniRuntime;
import dev.weft.cni.libcni.NetworkConfigList;
import dev.weft.cni.libcni.PluginException;
import dev.weft.cni.testing.CniTestbed;
import dev.weft.linux.api.NetNs;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ipMasq through the kernel: the node namespace (bridge {@code weft}, cluster range 10.32.0.0/16)
 * is linked to an "outside" namespace (192.0.2.0/24, no route back to the pods) and to a "remote
 * pod" namespace inside the cluster range (10.32.9.2, as a pod across the mesh would be). UDP from
 * the pods tells what source address each destination sees. P15's firewall part: CHECK notices a
 * missing masquerade.
 */
class MasqueradeTest extends ConformanceBase {
    private static final String RANGE = "10.32.0.0/16";
    private static final String NODE_OUTSIDE = "192.0.2.1";
    private static final String OUTSIDE = "192.0.2.2";
    private static final String REMOTE_POD = "10.32.9.2";

    private Path outside;
    private Path remote;
    private dev.weft.cni.api.CniConfig noMasquerade;

    @BeforeAll
    void wireTheNode() throws IOException {
        Path host = bed.host.path();
        // a rule Weft does not own, which must survive Weft's install and removal
        assertThat(CniTestbed.exec(
                        host, "nft", "add table ip other; add chain ip other c; add rule ip other c counter"))
                .isZero();
        bed.stopRouter();
        noMasquerade = bed.config();
        bed.config(bed.config().withMasquerade(RANGE, true));
        bed.startRouter();
        outside = bed.pod("outside");
        remote = bed.pod("remote");
        link(host, "wmo", outside, NODE_OUTSIDE, OUTSIDE);
        link(host, "wmr", remote, "10.32.9.1", REMOTE_POD);
        assertThat(CniTestbed.exec(remote, "ip", "route", "add", RANGE, "via", "10.32.9.1"))
                .isZero();
        assertThat(CniTestbed.exec(host, "sysctl", "-qw", "net.ipv4.ip_forward=1"))
                .isZero();
    }

    private static void link(Path host, String hostName, Path ns, String hostAddress, String nsAddress) {
        assertThat(CniTestbed.exec(
                        host,
                        "ip",
                        "link",
                        "add",
                        hostName,
                        "type",
                        "veth",
                        "peer",
                        "name",
                        "eth0",
                        "netns",
                        String.valueOf(ns.getFileName())))
                .isZero();
        assertThat(CniTestbed.exec(host, "ip", "addr", "add", hostAddress + "/24", "dev", hostName))
                .isZero();
        assertThat(CniTestbed.exec(host, "ip", "link", "set", hostName, "up")).isZero();
        assertThat(CniTestbed.exec(ns, "ip", "addr", "add", nsAddress + "/24", "dev", "eth0"))
                .isZero();
        assertThat(CniTestbed.exec(ns, "ip", "link", "set", "eth0", "up")).isZero();
        assertThat(CniTestbed.exec(ns, "ip", "link", "set", "lo", "up")).isZero();
    }

    @Test
    void podsWithIpMasqReachOutsideAsTheNodeAndOtherPodsAsThemselves() throws Exception {
        NetworkConfigList masq = bed.weftOnly("1.0.0", ",\"ipMasq\":true");
        NetworkConfigList plain = bed.weftOnly("1.0.0");
        CniRuntime.Attachment a = newPod("masq");
        CniRuntime.Attachment b = newPod("plain");
        String aIp = address(rt.add(masq, a));
        String bIp = address(rt.add(plain, b));

        assertThat(sourceSeen(a, outside, OUTSIDE)).as("leaving the cluster").isEqualTo(NODE_OUTSIDE);
        assertThat(sourceSeen(a, remote, REMOTE_POD))
                .as("to a pod across the mesh")
                .isEqualTo(aIp);
        assertThat(sourceSeen(b, outside, OUTSIDE)).as("a pod without ipMasq").isEqualTo(bIp);
        rt.check(masq, a);

        // P15: CHECK notices the masquerade is gone
        assertThat(nft("delete element ip weft masq-pods { " + aIp + " }")).isZero();
        PluginException e = failure(() -> rt.check(masq, a));
        assertThat(e.code()).isEqualTo(104);
        assertThat(e.getMessage()).contains("not masqueraded");

        // a restarted router installs its table again, with the pods it attached, once
        bed.stopRouter();
        bed.startRouter();
        rt.check(masq, a);
        String chain = CniTestbed.output(bed.host.path(), "nft", "list", "chain", "ip", "weft", "postrouting");
        assertThat(chain.split("masquerade", -1)).as(chain).hasSize(2);
        // the table outlives a stopped router: pods keep leaving as the node while it restarts
        bed.stopRouter();
        assertThat(set()).contains(aIp).doesNotContain(bIp);
        assertThat(sourceSeen(a, outside, OUTSIDE)).as("router stopped").isEqualTo(NODE_OUTSIDE);
        bed.startRouter();
        assertThat(CniTestbed.output(bed.host.path(), "nft", "list", "chain", "ip", "weft", "postrouting")
                        .split("masquerade", -1))
                .hasSize(2);
        assertThat(sourceSeen(a, outside, OUTSIDE)).isEqualTo(NODE_OUTSIDE);

        // DEL takes the pod out; repeated DEL is fine
        rt.del(masq, a);
        rt.del(masq, a);
        rt.del(plain, b);
        assertThat(set()).doesNotContain(aIp);
        assertThat(listTables()).contains("table ip weft").contains("table ip other");
        assertThat(CniTestbed.output(bed.host.path(), "nft", "list", "chain", "ip", "other", "c"))
                .contains("counter");
    }

    @Test
    void ipMasqWithoutAClusterRangeIsRefused() throws Exception {
        bed.stopRouter();
        var withRange = bed.config();
        bed.config(noMasquerade);
        bed.startRouter();
        try {
            CniRuntime.Attachment a = newPod("norange");
            PluginException e = failure(() -> rt.add(bed.weftOnly("1.0.0", ",\"ipMasq\":true"), a));
            assertThat(e.code()).isEqualTo(7);
            assertThat(e.getMessage()).contains("ipMasq");
            assertThat(bed.hostVeths()).noneMatch(l -> l.name().contains("norange"));
            rt.del(bed.weftOnly("1.0.0", ",\"ipMasq\":true"), a);
        } finally {
            bed.stopRouter();
            bed.config(withRange);
            bed.startRouter();
        }
    }

    private String set() {
        return CniTestbed.output(bed.host.path(), "nft", "list", "set", "ip", NftMasquerade.TABLE, NftMasquerade.SET);
    }

    private String listTables() {
        return CniTestbed.output(bed.host.path(), "nft", "list", "tables");
    }

    private int nft(String command) {
        return CniTestbed.exec(bed.host.path(), "nft", command);
    }

    private static String address(com.fasterxml.jackson.databind.node.ObjectNode result) {
        String cidr = result.get("ips").get(0).get("address").asText();
        return cidr.substring(0, cidr.indexOf('/'));
    }

    /** Sends UDP from the pod to {@code to} (listening in {@code toNs}); returns the source it saw. */
    private static String sourceSeen(CniRuntime.Attachment from, Path toNs, String to) throws Exception {
        try (NetNs rxNs = NetNs.open(toNs);
                NetNs txNs = NetNs.open(Path.of(from.netns()));
                DatagramChannel rx = rxNs.call(() -> DatagramChannel.open().bind(new InetSocketAddress(to, 0)));
                DatagramChannel tx = txNs.call(DatagramChannel::open)) {
            int port = ((InetSocketAddress) rx.getLocalAddress()).getPort();
            rx.socket().setSoTimeout(500);
            DatagramPacket got = new DatagramPacket(new byte[64], 64);
            for (int attempt = 0; attempt < 10; attempt++) {
                tx.send(
                        ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)),
                        new InetSocketAddress(InetAddress.getByName(to), port));
                try {
                    rx.socket().receive(got);
                    return got.getAddress().getHostAddress();
                } catch (SocketTimeoutException e) {
                    // ARP on the way, try again
                }
            }
            return "nothing arrived";
        }
    }
}
