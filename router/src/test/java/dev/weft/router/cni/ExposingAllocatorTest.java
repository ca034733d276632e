package dev.weft.router.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.cni.spi.Allocation;
import dev.weft.cni.spi.AllocationException;
import dev.weft.cni.testing.MemoryAllocator;
import dev.weft.linux.api.IpPrefix;
import dev.weft.linux.api.LinkSpec;
import dev.weft.linux.api.MacAddress;
import dev.weft.linux.api.NetNs;
import dev.weft.linux.api.RtNetlink;
import dev.weft.linux.api.Sysctl;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The node's address on the bridge as the pods' gateway, in a namespace of its own. */
class ExposingAllocatorTest {
    NetNs ns;
    RtNetlink rt;
    final MemoryAllocator ipam = new MemoryAllocator("10.32.0.0/24", false);

    @BeforeEach
    void bridge() {
        assumeTrue("root".equals(System.getProperty("user.name")), "kernel tests need root");
        byte[] r = new byte[2];
        new SecureRandom().nextBytes(r);
        ns = NetNs.create("wlx" + HexFormat.of().formatHex(r) + "-node");
        rt = RtNetlink.open(ns);
        rt.links().create(LinkSpec.bridge("weft").up());
    }

    @AfterEach
    void remove() {
        if (rt != null) {
            rt.close();
        }
        if (ns != null) {
            String name = ns.name();
            ns.close();
            NetNs.delete(name);
        }
    }

    static Instant soon() {
        return Instant.now().plus(Duration.ofSeconds(5));
    }

    List<String> bridgeAddresses() {
        return rt.addresses().list(rt.links().get("weft").index()).stream()
                .filter(a -> a.prefix().isIpv4())
                .map(a -> a.prefix().toString())
                .toList();
    }

    @Test
    void theFirstAddressExposesTheNodeWhichIsEveryPodsGateway() throws Exception {
        try (var a = ExposingAllocator.open(ipam, "weft", Optional.of(ns.path()))) {
            assertThat(Sysctl.get(ns, "net.ipv4.ip_forward")).isEqualTo("0");
            Allocation p1 = a.allocate("pod-1", Optional.empty(), soon());
            InetAddress gw = p1.gateway().orElseThrow();
            assertThat(ipam.owner(gw)).contains(ExposingAllocator.IDENT);
            assertThat(bridgeAddresses()).containsExactly(gw.getHostAddress() + "/24");
            assertThat(p1.address()).isNotEqualTo(gw);
            assertThat(Sysctl.get(ns, "net.ipv4.ip_forward"))
                    .as("a gateway forwards")
                    .isEqualTo("1");
            // the gateway's MAC stays put when a port with a lower MAC joins (Linux would otherwise
            // give the bridge that port's MAC)
            MacAddress mac = rt.links().get("weft").mac();
            rt.links()
                    .create(LinkSpec.veth("wlxlow", "wlxlow-peer")
                            .mac(MacAddress.parse("02:00:00:00:00:01"))
                            .master(rt.links().get("weft").index())
                            .up());
            var low = rt.links().get("wlxlow");
            assertThat(low.mac()).isEqualTo(MacAddress.parse("02:00:00:00:00:01"));
            assertThat(low.masterIndex()).isEqualTo(rt.links().get("weft").index());
            assertThat(rt.links().get("weft").mac()).isEqualTo(mac);

            Allocation p2 = a.allocate("pod-2", Optional.empty(), soon());
            assertThat(p2.gateway()).contains(gw);
            assertThat(ipam.allocations())
                    .as("the node's address is taken once")
                    .isEqualTo(3);
            assertThat(a.lookup("pod-1").orElseThrow().gateway()).contains(gw);

            // the bridge lost the address (recreated, flushed): the next pod puts it back
            rt.addresses().delete(rt.links().get("weft").index(), IpPrefix.parse(gw.getHostAddress() + "/24"));
            Allocation p3 = a.claim("pod-3", InetAddress.getByName("10.32.0.77"), soon());
            assertThat(p3.gateway()).contains(gw);
            assertThat(bridgeAddresses()).containsExactly(gw.getHostAddress() + "/24");
            assertThat(ipam.allocations()).isEqualTo(4);
        }
    }

    @Test
    void exposingEarlyNeedsNoPod() throws Exception {
        try (var a = ExposingAllocator.open(ipam, "weft", Optional.of(ns.path()))) {
            InetAddress gw = a.expose(soon());
            assertThat(bridgeAddresses()).containsExactly(gw.getHostAddress() + "/24");
            assertThat(a.expose(soon())).isEqualTo(gw);
            assertThat(ipam.inUse()).isEqualTo(1);
        }
    }

    @Test
    void withoutTheBridgeNoPodGetsAnAddress() {
        try (var a = ExposingAllocator.open(ipam, "nobridge", Optional.of(ns.path()))) {
            assertThatThrownBy(() -> a.allocate("pod-1", Optional.empty(), soon()))
                    .isInstanceOfSatisfying(AllocationException.class, e -> assertThat(e.kind())
                            .isEqualTo(AllocationException.Kind.UNAVAILABLE))
                    .hasMessageContaining("bridge nobridge does not exist");
            assertThat(ipam.inUse()).as("only the node's own address").isEqualTo(1);
        }
    }

    @Test
    void ipamNotReadyIsPassedOnAndTheBridgeIsLeftAlone() {
        ipam.setUnavailable("awaiting consensus");
        try (var a = ExposingAllocator.open(ipam, "weft", Optional.of(ns.path()))) {
            assertThatThrownBy(() -> a.allocate("pod-1", Optional.empty(), soon()))
                    .isInstanceOfSatisfying(AllocationException.class, e -> assertThat(e.kind())
                            .isEqualTo(AllocationException.Kind.UNAVAILABLE))
                    .hasMessageContaining("awaiting consensus");
            assertThat(bridgeAddresses()).isEmpty();
        }
    }
}
