package dev.weft.cni.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.cni.libcni.CniRuntime;
import dev.weft.cni.libcni.NetworkConfigList;
import dev.weft.cni.libcni.PluginRun;
import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DEL: P08, P09, P10, P11. */
class DelConformanceTest extends ConformanceBase {

    static InetAddress address(ObjectNode result) throws Exception {
        return InetAddress.getByName(
                result.get("ips").get(0).get("address").asText().split("/")[0]);
    }

    /** P08: DEL repeated after everything is gone still succeeds. */
    @Test
    void p08RepeatedDel() throws Exception {
        var a = newPod("p08");
        NetworkConfigList list = bed.weftOnly("1.1.0");
        InetAddress ip = address(rt.add(list, a));
        for (int i = 0; i < 3; i++) {
            rt.del(list, a);
            assertThat(ipam.owner(ip)).isEmpty();
            assertThat(podLink(a)).isEmpty();
            assertThat(bed.hostVeths()).noneMatch(l -> l.name().equals(AddConformanceTest.hostVethOf(a)));
        }
        // and a DEL for an attachment that never existed
        PluginRun never = rt.invoke("weft", "DEL", CniRuntime.Attachment.of("never-added", "", "eth0"), conf(list, a));
        assertThat(never.exitStatus()).isZero();
    }

    /** P09: DEL after the netns is gone, or with CNI_NETNS empty, succeeds and releases the address. */
    @Test
    void p09DelWithoutTheNetns() throws Exception {
        NetworkConfigList list = bed.weftOnly("1.1.0");
        var gone = newPod("p09gone");
        InetAddress ip = address(rt.add(list, gone));
        bed.deletePod(java.nio.file.Path.of(gone.netns()));
        rt.del(list, gone);
        assertThat(ipam.owner(ip)).isEmpty();
        awaitNoHostVeth(AddConformanceTest.hostVethOf(gone));

        var empty = newPod("p09empty");
        InetAddress ip2 = address(rt.add(list, empty));
        var noNetns = CniRuntime.Attachment.of(empty.containerId(), "", "eth0");
        assertThat(rt.invoke("weft", "DEL", noNetns, conf(list, noNetns)).exitStatus())
                .isZero();
        assertThat(ipam.owner(ip2)).isEmpty();
        assertThat(podLink(empty)).as("the pair was deleted from the host side").isEmpty();
    }

    /** P10: DEL without prevResult, or with an empty one, succeeds and cleans up. */
    @Test
    void p10DelWithoutPrevResult() throws Exception {
        NetworkConfigList list = bed.weftOnly("1.0.0");
        var a = newPod("p10");
        InetAddress ip = address(rt.add(list, a));
        ObjectNode noPrev = conf(list, a);
        assertThat(noPrev.has("prevResult")).isFalse();
        assertThat(rt.invoke("weft", "DEL", a, noPrev).exitStatus()).isZero();
        assertThat(ipam.owner(ip)).isEmpty();
        assertThat(podLink(a)).isEmpty();

        var b = newPod("p10b");
        rt.add(list, b);
        ObjectNode emptyPrev = conf(list, b);
        emptyPrev.putObject("prevResult");
        assertThat(rt.invoke("weft", "DEL", b, emptyPrev).exitStatus()).isZero();
        assertThat(podLink(b)).isEmpty();
    }

    /** P11: DEL while the router is down succeeds, is queued, and is applied when it starts. */
    @Test
    void p11DelWhileTheRouterIsDown() throws Exception {
        NetworkConfigList list = bed.weftOnly("1.1.0");
        var a = newPod("p11");
        InetAddress ip = address(rt.add(list, a));
        bed.stopRouter();
        try {
            rt.del(list, a);
            assertThat(Files.list(bed.config().deleteQueue())
                            .filter(p -> p.toString().endsWith(".del")))
                    .hasSize(1);
            assertThat(ipam.owner(ip)).as("not applied yet").isPresent();
        } finally {
            bed.startRouter();
        }
        assertThat(ipam.owner(ip)).as("applied by the drain at start").isEmpty();
        assertThat(podLink(a)).isEmpty();
        assertThat(Files.list(bed.config().deleteQueue())
                        .filter(p -> p.toString().endsWith(".del")))
                .isEmpty();
    }

    /** DEL with a config the plugin would refuse for ADD still cleans up (runtimes DEL after a failed ADD). */
    @Test
    void delIgnoresAnUnusableConfig() throws Exception {
        var a = newPod("badconf");
        InetAddress ip = address(rt.add(bed.weftOnly("1.1.0"), a));
        PluginRun run = shim("DEL", a, Map.of(), "{\"cniVersion\":\"0.0.1\",\"name\":\"weft\",\"bogus\":1}");
        assertThat(run.exitStatus()).isZero();
        assertThat(ipam.owner(ip)).isEmpty();
        assertThat(podLink(a)).isEmpty();
    }

    void awaitNoHostVeth(String name) throws InterruptedException {
        // netns teardown is asynchronous: the kernel removes the pair shortly after
        Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
        while (bed.hostVeths().stream().anyMatch(l -> l.name().equals(name))
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        assertThat(bed.hostVeths()).noneMatch(l -> l.name().equals(name));
    }
}
