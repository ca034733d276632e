package dev.weft.linux.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Links, addresses and routes on the real kernel, in two namespaces joined by a veth pair. */
class RtNetlinkTest {

    @Test
    void twoNamespacesVethAddressesAndARealUdpDatagram() throws Exception {
        try (TestNamespaces t = new TestNamespaces()) {
            NetNs a = t.create("a");
            NetNs b = t.create("b");
            RtNetlink ra = t.closeLater(RtNetlink.open(a));
            RtNetlink rb = t.closeLater(RtNetlink.open(b));

            // The peer is created directly in b.
            ra.links().create(LinkSpec.veth("va", "vb").peerNetNs(b).mtu(1400));
            Link va = ra.links().get("va");
            Link vb = rb.links().get("vb");
            assertThat(va.kind()).isEqualTo("veth");
            assertThat(vb.kind()).isEqualTo("veth");
            assertThat(va.mtu()).isEqualTo(1400);
            assertThat(vb.mtu()).isEqualTo(1400);
            assertThat(va.linkIndex()).as("va's peer index is vb's").isEqualTo(vb.index());
            assertThat(ra.links().find("vb")).isEmpty();

            MacAddress mac = MacAddress.parse("02:00:00:00:0a:01");
            ra.links().setMac("va", mac);
            ra.links().setUp("va");
            ra.links().setUp("lo");
            rb.links().setUp("vb");
            ra.addresses().add(va.index(), IpPrefix.parse("10.91.0.1/24"));
            ra.addresses().add(va.index(), IpPrefix.parse("fd91::1/64"));
            rb.addresses().add(vb.index(), IpPrefix.parse("10.91.0.2/24"));
            rb.addresses().add(vb.index(), IpPrefix.parse("fd91::2/64"));

            // Read everything back with dumps.
            Link vaNow = ra.links().list().stream()
                    .filter(l -> l.name().equals("va"))
                    .findFirst()
                    .orElseThrow();
            assertThat(vaNow.isUp()).isTrue();
            assertThat(vaNow.mac()).isEqualTo(mac);
            assertThat(ra.addresses().list(va.index()))
                    .extracting(x -> x.prefix().toString())
                    .contains("10.91.0.1/24", "fd91:0:0:0:0:0:0:1/64");
            assertThat(ra.addresses().list(va.index()))
                    .filteredOn(x -> !x.prefix().isIpv4())
                    .filteredOn(x -> x.scope() == 0) // ours, not the kernel's link-local one
                    .allSatisfy(x -> assertThat(x.isTentative()).isFalse());
            List<Route> routes = ra.routes().listMain();
            assertThat(routes)
                    .as("the kernel's connected route for the address")
                    .anySatisfy(r -> {
                        assertThat(r.destination().toString()).isEqualTo("10.91.0.0/24");
                        assertThat(r.outputIndex()).isEqualTo(va.index());
                        assertThat(r.protocol()).isEqualTo(2);
                    });

            // A real UDP datagram between sockets opened inside each namespace, both families.
            for (String[] pair : new String[][] {{"10.91.0.1", "10.91.0.2"}, {"fd91::1", "fd91::2"}}) {
                DatagramChannel rx = t.closeLater(b.call(
                        () -> DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getByName(pair[1]), 0))));
                DatagramChannel tx = t.closeLater(a.call(DatagramChannel::open));
                Datagrams.Received got = Datagrams.exchange(tx, rx, "hello over veth " + pair[1]);
                assertThat(got.from().getAddress()).isEqualTo(InetAddress.getByName(pair[0]));
                assertThat(got.text()).isEqualTo("hello over veth " + pair[1]);
            }

            // The neighbour b learnt from a's datagram is visible in its dump.
            assertThat(rb.neighbours().list()).anySatisfy(n -> {
                assertThat(n.ip()).isEqualTo(InetAddress.getByName("10.91.0.1"));
                assertThat(n.mac()).isEqualTo(mac);
            });

            // Routes: add via a gateway, read back, replace, delete.
            Route r = Route.to(IpPrefix.parse("10.92.0.0/16")).via(InetAddress.getByName("10.91.0.2"));
            ra.routes().add(r);
            assertThat(ra.routes().listMain()).anySatisfy(x -> {
                assertThat(x.destination().toString()).isEqualTo("10.92.0.0/16");
                assertThat(x.gateway()).isEqualTo(InetAddress.getByName("10.91.0.2"));
                assertThat(x.outputIndex()).isEqualTo(va.index());
            });
            assertThatThrownBy(() -> ra.routes().add(r))
                    .isInstanceOf(NetlinkException.class)
                    .hasMessageStartingWith("route 10.92.0.0/16 via 10.91.0.2: File exists (EEXIST)");
            ra.routes().replace(r.withMetric(0));
            Route v6 = Route.to(IpPrefix.parse("fd92::/48")).via(InetAddress.getByName("fd91::2"));
            ra.routes().add(v6);
            assertThat(ra.routes().listMain())
                    .anySatisfy(x -> assertThat(x.destination().toString()).isEqualTo("fd92:0:0:0:0:0:0:0/48"));
            ra.routes().delete(r);
            ra.routes().delete(v6);
            assertThat(ra.routes().listMain())
                    .noneSatisfy(x -> assertThat(x.destination().length()).isIn(16, 48));

            ra.addresses().delete(va.index(), IpPrefix.parse("10.91.0.1/24"));
            assertThat(ra.addresses().list(va.index()))
                    .noneMatch(x -> x.prefix().toString().equals("10.91.0.1/24"));
            assertThatThrownBy(() -> ra.addresses().delete(va.index(), IpPrefix.parse("10.91.0.1/24")))
                    .isInstanceOf(NetlinkException.class)
                    .hasMessageContaining("address 10.91.0.1/24 on link #" + va.index())
                    .hasMessageContaining("(EADDRNOTAVAIL)");
        }
    }

    @Test
    void bridgeWithVethPortsMtuRenameAndMoveBetweenNamespaces() {
        try (TestNamespaces t = new TestNamespaces()) {
            NetNs a = t.create("br");
            NetNs pod = t.create("pod");
            RtNetlink ra = t.closeLater(RtNetlink.open(a));
            RtNetlink rp = t.closeLater(RtNetlink.open(pod));

            ra.links().create(LinkSpec.bridge("weft").up().mtu(1376));
            Link br = ra.links().get("weft");
            assertThat(br.kind()).isEqualTo("bridge");
            assertThat(br.isUp()).isTrue();

            ra.links().create(LinkSpec.veth("p1", "p1c").master(br.index()).up());
            ra.links().create(LinkSpec.veth("p2", "p2c"));
            ra.links().setMaster("p2", "weft");
            ra.links().setMtu("p2", 1300);
            assertThat(ra.links().get("p1").masterIndex()).isEqualTo(br.index());
            assertThat(ra.links().get("p2").masterIndex()).isEqualTo(br.index());
            assertThat(ra.links().get("p2").mtu()).isEqualTo(1300);
            ra.links().setMaster("p2", 0);
            assertThat(ra.links().get("p2").masterIndex()).isZero();

            // Rename then move into the pod namespace as eth0, as CNI does.
            ra.links().rename("p1c", "p1x");
            assertThat(ra.links().find("p1c")).isEmpty();
            ra.links().moveTo("p1x", pod, "eth0");
            assertThat(ra.links().find("p1x")).isEmpty();
            Link eth0 = rp.links().get("eth0");
            assertThat(eth0.kind()).isEqualTo("veth");
            assertThat(eth0.linkNetnsId())
                    .as("its peer is in another namespace")
                    .isNotEqualTo(-1);
            ra.links().moveTo("p2c", pod);
            assertThat(rp.links().get("p2c").kind()).isEqualTo("veth");

            ra.links().setDown("weft");
            assertThat(ra.links().get("weft").isUp()).isFalse();
            ra.links().delete("p1");
            assertThat(rp.links().find("eth0"))
                    .as("deleting one end deletes the peer")
                    .isEmpty();
            ra.links().delete("weft");
            assertThat(ra.links().deleteIfExists("weft")).isFalse();
        }
    }

    @Test
    void errorsNameTheObjectAndLeaveNothingBehind() {
        try (TestNamespaces t = new TestNamespaces()) {
            NetNs a = t.create("err");
            RtNetlink ra = t.closeLater(RtNetlink.open(a));
            ra.links().create(LinkSpec.bridge("weft-tap0"));
            List<Link> before = ra.links().list();

            assertThatThrownBy(() -> ra.links().create(LinkSpec.bridge("weft-tap0")))
                    .isInstanceOfSatisfying(NetlinkException.class, e -> {
                        assertThat(e.errno()).isEqualTo(Errno.EEXIST);
                        assertThat(e.errnoName()).isEqualTo("EEXIST");
                        assertThat(e.alreadyExists()).isTrue();
                        assertThat(e.messageType()).isEqualTo(16);
                        assertThat(e.subject()).isEqualTo("bridge link weft-tap0");
                    })
                    .hasMessage("bridge link weft-tap0: File exists (EEXIST) [RTM_NEWLINK]");
            assertThatThrownBy(() -> ra.links().create(LinkSpec.veth("weft-tap0", "other")))
                    .hasMessageStartingWith("veth link weft-tap0: File exists (EEXIST)");
            assertThat(ra.links().find("other"))
                    .as("the failed veth's peer was not left behind")
                    .isEmpty();

            assertThatThrownBy(() -> ra.links().get("nope"))
                    .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.notFound())
                            .isTrue())
                    .hasMessageStartingWith("link nope: No such device (ENODEV)");
            assertThatThrownBy(() -> ra.links().setUp("nope"))
                    .hasMessageStartingWith("link nope: No such device (ENODEV)");
            assertThatThrownBy(() -> ra.links().delete("nope"))
                    .hasMessageStartingWith("link nope: No such device (ENODEV)");
            assertThatThrownBy(() -> ra.links().create(LinkSpec.of("x0", "no-such-kind")))
                    .isInstanceOf(NetlinkException.class)
                    .hasMessageContaining("link x0:");
            assertThatThrownBy(() -> LinkSpec.bridge("much-too-long-name"))
                    .isInstanceOf(IllegalArgumentException.class);

            assertThat(ra.links().list()).containsExactlyInAnyOrderElementsOf(before);
            // The socket still works after all those errors.
            assertThat(ra.links().get("weft-tap0").kind()).isEqualTo("bridge");
        }
    }
}
