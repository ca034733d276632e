package dev.weft.cni.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.cni.libcni.CniRuntime;
import dev.weft.cni.libcni.NetworkConfigList;
import dev.weft.cni.libcni.PluginException;
import dev.weft.cni.testing.CniTestbed;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** STATUS, VERSION, GC: P16, P17, P19, P20. */
class StatusGcVersionTest extends ConformanceBase {

    /** P16: 0 when ADD can be served; 50 when IPAM cannot, 51 when the bridge is gone, 50 when the router is down. */
    @Test
    void p16Status() throws Exception {
        NetworkConfigList list = bed.weftOnly("1.1.0");
        rt.status(list);

        ipam.setUnavailable("no ring yet");
        try {
            PluginException e = failure(() -> rt.status(list));
            assertThat(e.code()).isEqualTo(50);
            assertThat(e.msg()).contains("no ring yet");
        } finally {
            ipam.setUnavailable(null);
        }

        bed.hostRt.links().setDown(CniTestbed.BRIDGE);
        try {
            PluginException e = failure(() -> rt.status(list));
            assertThat(e.code()).isEqualTo(51);
            assertThat(e.msg()).contains("bridge weft");
        } finally {
            bed.hostRt.links().setUp(CniTestbed.BRIDGE);
        }

        bed.stopRouter();
        try {
            assertThat(failure(() -> rt.status(list)).code()).isEqualTo(50);
        } finally {
            bed.startRouter();
        }
        rt.status(list);
    }

    /** P16 with a pool that is exhausted. */
    @Test
    void p16StatusWithAFullPool() throws Exception {
        var small = new dev.weft.cni.testing.MemoryAllocator("10.32.0.0/30", true); // one usable address
        try (var other = new CniTestbed(small)) {
            var runtime = other.runtime();
            NetworkConfigList list = other.weftOnly("1.1.0");
            runtime.status(list);
            var a = CniRuntime.Attachment.of("full-1", other.pod("full-1").toString(), "eth0");
            runtime.add(list, a);
            PluginException e = failure(() -> runtime.status(list));
            assertThat(e.code()).isEqualTo(50);
            assertThat(e.msg()).contains("full");
            var b = CniRuntime.Attachment.of("full-2", other.pod("full-2").toString(), "eth0");
            PluginException add = failure(() -> runtime.add(list, b));
            assertThat(add.code()).isEqualTo(102);
            runtime.del(list, b);
            runtime.del(list, a);
            runtime.status(list);
        }
    }

    /** P17: ADD and DEL work on a router that never saw STATUS. */
    @Test
    void p17AddAndDelNeedNoStatus() throws Exception {
        bed.stopRouter();
        bed.startRouter();
        rt.clearInvocations();
        NetworkConfigList list = bed.weftOnly("1.1.0");
        var a = newPod("p17");
        rt.add(list, a);
        rt.del(list, a);
        assertThat(rt.invocations()).extracting(CniRuntime.Invocation::command).containsExactly("ADD", "DEL");
    }

    /** P19: VERSION through the runtime, router stopped. */
    @Test
    void p19Version() throws Exception {
        bed.stopRouter();
        try {
            JsonNode v = rt.version("weft");
            assertThat(v.get("supportedVersions"))
                    .extracting(JsonNode::asText)
                    .containsExactly("0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0");
            assertThat(v.get("cniVersion").asText()).isEqualTo("1.1.0");
        } finally {
            bed.startRouter();
        }
    }

    /** P20: GC releases what is not in valid-attachments and keeps what is. */
    @Test
    void p20Gc() throws Exception {
        NetworkConfigList list = bed.weftOnly("1.1.0");
        List<CniRuntime.Attachment> pods = new ArrayList<>();
        List<InetAddress> ips = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            var a = newPod("p20");
            ObjectNode r = rt.add(list, a);
            pods.add(a);
            ips.add(InetAddress.getByName(
                    r.get("ips").get(0).get("address").asText().split("/")[0]));
        }
        var keep = pods.get(1);
        List<PluginException> failures = rt.gc(list, List.of(Map.entry(keep.containerId(), keep.ifname())));
        assertThat(failures).isEmpty();
        assertThat(ipam.owner(ips.get(0))).isEmpty();
        assertThat(ipam.owner(ips.get(2))).isEmpty();
        assertThat(ipam.owner(ips.get(1))).contains(keep.containerId());
        assertThat(podLink(pods.get(0))).isEmpty();
        assertThat(podLink(pods.get(2))).isEmpty();
        assertThat(podLink(keep)).isPresent();
        rt.check(list, keep);
        rt.del(list, keep);
    }

    /**
     * P20: GC keeps going past attachments it cannot collect, reports every failure (naming the
     * attachment), and collects them on the next GC once the cause is gone. Two of four fail, so a
     * GC that stopped at its first failure is caught whatever order it visits them in.
     */
    @Test
    void p20GcKeepsGoingPastFailuresAndReportsThem() throws Exception {
        NetworkConfigList list = bed.weftOnly("1.1.0");
        List<CniRuntime.Attachment> pods = new ArrayList<>();
        List<InetAddress> ips = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            var a = newPod("p20f");
            ObjectNode r = rt.add(list, a);
            pods.add(a);
            ips.add(InetAddress.getByName(
                    r.get("ips").get(0).get("address").asText().split("/")[0]));
        }
        List<Integer> stuck = List.of(0, 2);
        stuck.forEach(i -> ipam.failRelease(pods.get(i).containerId(), "ring unreachable"));
        try {
            List<PluginException> failures = rt.gc(list, List.of());
            assertThat(failures).hasSize(1);
            PluginException f = failures.get(0);
            assertThat(f.code()).isEqualTo(11);
            assertThat(f.msg()).contains("GC left 2 failure(s)").contains("ring unreachable");
            assertThat(f.details())
                    .contains(pods.get(0).containerId())
                    .contains(pods.get(2).containerId());
            for (int i : List.of(1, 3)) {
                assertThat(ipam.owner(ips.get(i))).as("pod %d collected", i).isEmpty();
                assertThat(podLink(pods.get(i))).as("pod %d unplumbed", i).isEmpty();
            }
            for (int i : stuck) {
                assertThat(ipam.owner(ips.get(i)))
                        .as("pod %d not released yet", i)
                        .isPresent();
            }
        } finally {
            stuck.forEach(i -> ipam.failRelease(pods.get(i).containerId(), null));
        }
        assertThat(rt.gc(list, List.of())).as("the next GC collects them").isEmpty();
        for (int i : stuck) {
            assertThat(ipam.owner(ips.get(i))).isEmpty();
        }
    }
}
