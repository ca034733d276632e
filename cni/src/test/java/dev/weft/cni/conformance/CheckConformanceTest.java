package dev.weft.cni.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.cni.libcni.CniRuntime;
import dev.weft.cni.libcni.NetworkConfigList;
import dev.weft.cni.libcni.PluginException;
import dev.weft.cni.testing.CniTestbed;
import dev.weft.linux.api.IpPrefix;
import dev.weft.linux.api.MacAddress;
import dev.weft.linux.api.Route;
import dev.weft.linux.api.RtNetlink;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** CHECK: P12, P13, P14, P15. */
class CheckConformanceTest extends ConformanceBase {
    /** The checklist asks for 100 rounds (about 5 s). */
    final int rounds = 100;

    ObjectNode checkConf(NetworkConfigList list, CniRuntime.Attachment a, ObjectNode prev) throws Exception {
        ObjectNode c = conf(list, a);
        c.set("prevResult", prev);
        return c;
    }

    /** P12: CHECK goes by prevResult: an address it names that is not ours is an error. */
    @Test
    void p12CheckUsesPrevResult() throws Exception {
        NetworkConfigList list = bed.weftOnly("1.1.0");
        var a = newPod("p12");
        ObjectNode result = rt.add(list, a);
        ObjectNode wrong = result.deepCopy();
        ((ObjectNode) wrong.get("ips").get(0)).put("address", "10.32.0.250/24");
        PluginException e = failure(() -> rt.invoke("weft", "CHECK", a, checkConf(list, a, wrong)));
        assertThat(e.code()).isEqualTo(104);
        assertThat(e.msg()).contains("prevResult does not list");
        assertThat(rt.invoke("weft", "CHECK", a, checkConf(list, a, result)).exitStatus())
                .isZero();
        rt.del(list, a);
    }

    /** P13: CHECK tolerates later plugins' changes reflected in the final result (MAC, extra routes). */
    @Test
    void p13LaterPluginsMayChangeThings() throws Exception {
        NetworkConfigList list = bed.weftOnly("1.1.0");
        var a = newPod("p13");
        ObjectNode result = rt.add(list, a);
        try (RtNetlink pod = CniTestbed.rtnetlink(Path.of(a.netns()))) {
            pod.links().setMac("eth0", MacAddress.parse("02:00:00:00:13:13")); // as "tuning" would
            pod.routes()
                    .add(Route.to(IpPrefix.parse("192.168.13.0/24")).via(InetAddress.getByName(CniTestbed.GATEWAY)));
        }
        ObjectNode tuned = result.deepCopy();
        ((ObjectNode) tuned.get("interfaces").get(2)).put("mac", "02:00:00:00:13:13");
        tuned.withArray("routes").addObject().put("dst", "192.168.13.0/24").put("gw", CniTestbed.GATEWAY);
        assertThat(rt.invoke("weft", "CHECK", a, checkConf(list, a, tuned)).exitStatus())
                .isZero();
        rt.del(list, a);
    }

    /** P14: CHECK right after ADD passes, every time. */
    @Test
    void p14CheckImmediatelyAfterAdd() throws Exception {
        NetworkConfigList list = bed.weftOnly("1.0.0");
        var a = newPod("p14");
        for (int i = 0; i < rounds; i++) {
            rt.add(list, a);
            rt.check(list, a);
            rt.del(list, a);
        }
    }

    /** P15: CHECK fails when something of ours is missing or wrong. */
    @Test
    void p15HostVethDeleted() throws Exception {
        brokenBy(a -> bed.hostRt.links().delete(AddConformanceTest.hostVethOf(a)), "is missing");
    }

    @Test
    void p15AddressRemoved() throws Exception {
        brokenBy(
                a -> {
                    try (RtNetlink pod = CniTestbed.rtnetlink(Path.of(a.netns()))) {
                        var eth0 = pod.links().get("eth0");
                        var addr = pod.addresses().list(eth0.index()).stream()
                                .filter(x -> x.prefix().isIpv4())
                                .findFirst()
                                .orElseThrow();
                        pod.addresses().delete(eth0.index(), addr.prefix());
                    }
                },
                "lacks address");
    }

    @Test
    void p15DefaultRouteRemoved() throws Exception {
        brokenBy(
                a -> {
                    try (RtNetlink pod = CniTestbed.rtnetlink(Path.of(a.netns()))) {
                        pod.routes().delete(Route.to(IpPrefix.parse("0.0.0.0/0")));
                    }
                },
                "route 0.0.0.0/0 via 10.32.0.1 is missing");
    }

    @Test
    void p15InterfaceDown() throws Exception {
        brokenBy(
                a -> {
                    try (RtNetlink pod = CniTestbed.rtnetlink(Path.of(a.netns()))) {
                        pod.links().setDown("eth0");
                    }
                },
                "eth0 is down");
    }

    @Test
    void p15HostVethOffTheBridge() throws Exception {
        brokenBy(a -> bed.hostRt.links().setMaster(AddConformanceTest.hostVethOf(a), 0), "is not on bridge weft");
    }

    @Test
    void p15AddressReleasedInIpam() throws Exception {
        brokenBy(
                a -> {
                    try {
                        ipam.release(a.containerId());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                "IPAM holds no address");
    }

    @Test
    void p15RouterDown() throws Exception {
        NetworkConfigList list = bed.weftOnly("1.1.0");
        var a = newPod("p15down");
        rt.add(list, a);
        bed.stopRouter();
        try {
            PluginException e = failure(() -> rt.check(list, a));
            assertThat(e.code()).isEqualTo(11);
        } finally {
            bed.startRouter();
        }
        rt.check(list, a);
        rt.del(list, a);
    }

    void brokenBy(Consumer<CniRuntime.Attachment> damage, String message) throws Exception {
        NetworkConfigList list = bed.weftOnly("1.1.0");
        var a = newPod("p15");
        rt.add(list, a);
        rt.check(list, a);
        damage.accept(a);
        PluginException e = failure(() -> rt.check(list, a));
        assertThat(e.code()).isEqualTo(104);
        assertThat(e.msg()).contains(message);
        rt.del(list, a);
    }
}
