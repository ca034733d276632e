package dev.weft.linux.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import org.junit.jupiter.api.Test;

/** A VXLAN overlay between two namespaces, carried by FDB flood entries alone (learning off). */
class VxlanFdbTest {

    @Test
    void vxlanWithFloodEntriesCarriesTrafficBetweenTwoNamespaces() throws Exception {
        try (TestNamespaces t = new TestNamespaces()) {
            NetNs h1 = t.create("h1");
            NetNs h2 = t.create("h2");
            RtNetlink r1 = t.closeLater(RtNetlink.open(h1));
            RtNetlink r2 = t.closeLater(RtNetlink.open(h2));

            // Underlay: a veth between the two "hosts".
            r1.links().create(LinkSpec.veth("u1", "u2").peerNetNs(h2));
            InetAddress u1 = InetAddress.getByName("192.168.77.1");
            InetAddress u2 = InetAddress.getByName("192.168.77.2");
            Link l1 = r1.links().get("u1");
            Link l2 = r2.links().get("u2");
            r1.addresses().add(l1.index(), new IpPrefix(u1, 24));
            r2.addresses().add(l2.index(), new IpPrefix(u2, 24));
            r1.links().setUp("u1");
            r2.links().setUp("u2");

            // Overlay: vx0 on each side, VNI 42, learning off, one flood entry towards the other.
            VxlanInfo cfg1 =
                    VxlanInfo.of(42).withLocal(u1).withUnderlay(l1.index()).withTtl(16);
            r1.links().create(LinkSpec.vxlan("vx0", cfg1).mtu(1450));
            r2.links()
                    .create(LinkSpec.vxlan("vx0", VxlanInfo.of(42).withLocal(u2).withUnderlay(l2.index())));
            Link vx1 = r1.links().get("vx0");
            Link vx2 = r2.links().get("vx0");
            assertThat(vx1.kind()).isEqualTo("vxlan");
            assertThat(vx1.vxlan()).isEqualTo(cfg1);
            assertThat(vx1.mtu()).isEqualTo(1450);
            assertThat(vx2.vxlan().learning()).isFalse();

            r1.neighbours().fdbAppend(vx1.index(), MacAddress.ZERO, u2);
            r2.neighbours().fdbAppend(vx2.index(), MacAddress.ZERO, u1);
            r1.addresses().add(vx1.index(), IpPrefix.parse("10.200.0.1/24"));
            r2.addresses().add(vx2.index(), IpPrefix.parse("10.200.0.2/24"));
            r1.links().setUp("vx0");
            r2.links().setUp("vx0");

            assertThat(r1.neighbours().fdbList(vx1.index())).anySatisfy(n -> {
                assertThat(n.mac()).isEqualTo(MacAddress.ZERO);
                assertThat(n.ip()).isEqualTo(u2);
                assertThat(n.isPermanent()).isTrue();
            });

            // Traffic: ARP is flooded to the VTEP, then the datagram crosses the tunnel.
            DatagramChannel rx = t.closeLater(h2.call(
                    () -> DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getByName("10.200.0.2"), 0))));
            DatagramChannel tx = t.closeLater(h1.call(DatagramChannel::open));
            Datagrams.Received got = Datagrams.exchange(tx, rx, "through vxlan");
            assertThat(got.from().getAddress()).isEqualTo(InetAddress.getByName("10.200.0.1"));
            assertThat(got.text()).isEqualTo("through vxlan");

            // The VXLAN device resolved the peer over the tunnel: h1 has an ARP entry for it.
            assertThat(r1.neighbours().list())
                    .anySatisfy(n -> assertThat(n.ip()).isEqualTo(InetAddress.getByName("10.200.0.2")));

            // A second VTEP for flooding, a pinned MAC, and their removal.
            InetAddress third = InetAddress.getByName("192.168.77.9");
            r1.neighbours().fdbAppend(vx1.index(), MacAddress.ZERO, third);
            MacAddress pinned = MacAddress.parse("02:00:00:00:00:99");
            r1.neighbours().fdbReplace(vx1.index(), pinned, third);
            r1.neighbours().fdbReplace(vx1.index(), pinned, third); // idempotent
            assertThat(r1.neighbours().fdbList(vx1.index()))
                    .filteredOn(n -> n.mac().equals(MacAddress.ZERO))
                    .extracting(Neighbour::ip)
                    .containsExactlyInAnyOrder(u2, third);
            assertThat(r1.neighbours().fdbList(vx1.index())).anySatisfy(n -> {
                assertThat(n.mac()).isEqualTo(pinned);
                assertThat(n.ip()).isEqualTo(third);
            });
            r1.neighbours().fdbAppend(vx1.index(), MacAddress.ZERO, third); // idempotent
            assertThat(r1.neighbours().fdbList(vx1.index()))
                    .filteredOn(n -> n.mac().equals(MacAddress.ZERO))
                    .hasSize(2);
            assertThatThrownBy(
                            () -> r1.neighbours().fdbDelete(vx1.index(), MacAddress.parse("02:00:00:00:00:98"), null))
                    .isInstanceOf(NetlinkException.class)
                    .hasMessageStartingWith("fdb entry 02:00:00:00:00:98 on link #" + vx1.index() + ": ");
            r1.neighbours().fdbDelete(vx1.index(), MacAddress.ZERO, third);
            r1.neighbours().fdbDelete(vx1.index(), pinned, null);
            assertThat(r1.neighbours().fdbList(vx1.index()))
                    .extracting(Neighbour::ip)
                    .containsExactly(u2);

            // Static ARP entries.
            InetAddress ghost = InetAddress.getByName("10.200.0.9");
            r1.neighbours().replace(vx1.index(), ghost, pinned);
            assertThat(r1.neighbours().list()).anySatisfy(n -> {
                assertThat(n.ip()).isEqualTo(ghost);
                assertThat(n.mac()).isEqualTo(pinned);
                assertThat(n.isPermanent()).isTrue();
            });
            r1.neighbours().delete(vx1.index(), ghost);
            assertThat(r1.neighbours().list()).noneMatch(n -> ghost.equals(n.ip()));
            assertThatThrownBy(() -> r1.neighbours().delete(vx1.index(), ghost))
                    .hasMessageStartingWith(
                            "neighbour 10.200.0.9 on link #" + vx1.index() + ": No such file or directory (ENOENT)");
        }
    }
}
