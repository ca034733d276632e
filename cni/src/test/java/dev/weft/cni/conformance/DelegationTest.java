package dev.weft.cni.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.cni.libcni.NetworkConfigList;
import dev.weft.cni.libcni.PluginException;
import dev.weft.cni.libcni.PluginRun;
import dev.weft.cni.testing.CniTestbed;
import dev.weft.cni.testing.FakePlugin;
import dev.weft.linux.api.LinkSpec;
import dev.weft.linux.api.RtNetlink;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Delegated IPAM and Weft as an IPAM delegate: P18, P20 (delegate), P22, P23. */
class DelegationTest extends ConformanceBase {
    FakePlugin fake;

    @BeforeAll
    void installFakeDelegate() throws Exception {
        fake = FakePlugin.install(bed.root.resolve("fake-bin"), "fake-ipam");
        bed.addPluginDir(fake.dir());
        rt = bed.runtime();
    }

    @BeforeEach
    void resetFake() throws Exception {
        fake.reset();
        for (String verb : List.of("ADD", "DEL", "CHECK", "GC", "STATUS")) {
            fake.fail(verb, null);
        }
        fake.result(
                """
                {"cniVersion":"1.1.0","ips":[{"address":"10.32.0.200/24","gateway":"10.32.0.1"}],
                 "routes":[{"dst":"0.0.0.0/0"}],"dns":{"nameservers":["10.96.0.10"]}}""");
    }

    NetworkConfigList fakeList() throws Exception {
        return bed.weftOnly("1.1.0", ",\"ipam\":{\"type\":\"fake-ipam\",\"opaque\":{\"kept\":true}}");
    }

    /** P22: found in CNI_PATH, same env and the whole config, stderr forwarded, CHECK and DEL delegated. */
    @Test
    void p22DelegatesToAnIpamPluginInCniPath() throws Exception {
        var a = newPod("p22");
        NetworkConfigList list = fakeList();
        ObjectNode r = rt.add(list, a);
        assertThat(r.get("ips").get(0).get("address").asText()).isEqualTo("10.32.0.200/24");
        assertThat(r.get("ips").get(0).get("interface").asInt()).isEqualTo(2);
        assertThat(r.get("dns").get("nameservers").get(0).asText()).isEqualTo("10.96.0.10");
        assertThat(r.get("routes").get(0).get("gw").asText())
                .as("gateway filled in")
                .isEqualTo("10.32.0.1");
        try (RtNetlink pod = CniTestbed.rtnetlink(Path.of(a.netns()))) {
            var eth0 = pod.links().get("eth0");
            assertThat(pod.addresses().list(eth0.index()))
                    .anyMatch(x -> x.prefix().address().getHostAddress().equals("10.32.0.200"));
        }
        JsonNode sent = NetworkConfigList.JSON.readTree(fake.stdin("ADD"));
        assertThat(sent).isEqualTo(rt.invocations().getLast().stdin());
        assertThat(fake.env("ADD"))
                .contains(
                        "CNI_COMMAND=ADD",
                        "CNI_CONTAINERID=" + a.containerId(),
                        "CNI_IFNAME=eth0",
                        "CNI_NETNS=" + a.netns());
        assertThat(rt.invocations().getLast().run().stderr()).contains("fake-ipam says ADD to stderr");
        assertThat(ipam.inUse()).as("Weft's own IPAM was not used").isZero();

        rt.check(list, a);
        rt.del(list, a);
        assertThat(fake.calls()).containsExactly("ADD", "CHECK", "DEL");
        assertThat(fake.env("DEL")).contains("CNI_COMMAND=DEL");
        assertThat(podLink(a)).isEmpty();
    }

    /** P22: an ADD failing after the delegate's ADD calls the delegate's DEL before failing. */
    @Test
    void p22FailureAfterDelegateAddCallsDelegateDel() throws Exception {
        var a = newPod("p22fail");
        try (RtNetlink pod = CniTestbed.rtnetlink(Path.of(a.netns()))) {
            pod.links().create(LinkSpec.bridge("eth0"));
        }
        PluginException e = failure(() -> rt.add(fakeList(), a));
        assertThat(e.code()).isEqualTo(4);
        assertThat(fake.calls()).containsExactly("ADD", "DEL");
    }

    /** P22: a delegate's error object becomes ours. */
    @Test
    void p22DelegateErrorsPassThrough() throws Exception {
        var a = newPod("p22err");
        fake.fail("ADD", "{\"cniVersion\":\"1.1.0\",\"code\":7,\"msg\":\"no range\",\"details\":\"d\"}");
        PluginException e = failure(() -> rt.add(fakeList(), a));
        assertThat(e.code()).isEqualTo(7);
        assertThat(e.msg()).isEqualTo("fake-ipam: no range");
        rt.del(fakeList(), a);
    }

    /** P22 with Debian's host-local (config 1.0.0, which plugins 1.1.1 understand). */
    @Test
    void p22DelegatesToDebianHostLocal() throws Exception {
        var a = newPod("p22hl");
        Path data = bed.root.resolve("host-local");
        NetworkConfigList list = bed.weftOnly(
                "1.0.0",
                ",\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.32.0.0/24\",\"rangeStart\":\"10.32.0.100\",\"dataDir\":\""
                        + data + "\"}");
        ObjectNode r = rt.add(list, a);
        assertThat(r.get("ips").get(0).get("address").asText()).isEqualTo("10.32.0.100/24");
        assertThat(Files.exists(data.resolve("weft/10.32.0.100"))).isTrue();
        rt.check(list, a);
        assertThat(CniTestbed.exec(Path.of(a.netns()), "ping", "-c1", "-W2", CniTestbed.GATEWAY))
                .isZero();
        rt.del(list, a);
        assertThat(Files.exists(data.resolve("weft/10.32.0.100"))).isFalse();
    }

    /** P18: STATUS is forwarded to the delegate; its error becomes ours. */
    @Test
    void p18StatusIsForwarded() throws Exception {
        rt.status(fakeList());
        assertThat(fake.calls()).containsExactly("STATUS");
        fake.fail("STATUS", "{\"cniVersion\":\"1.1.0\",\"code\":50,\"msg\":\"pool exhausted\"}");
        PluginException e = failure(() -> rt.status(fakeList()));
        assertThat(e.code()).isEqualTo(50);
        assertThat(e.msg()).contains("fake-ipam: pool exhausted");
    }

    /** P20: GC is forwarded to the delegate with the valid list, and a delegate failure is reported. */
    @Test
    void p20GcIsForwarded() throws Exception {
        var a = newPod("p20d");
        rt.add(fakeList(), a);
        fake.reset();
        fake.fail("GC", "{\"cniVersion\":\"1.1.0\",\"code\":11,\"msg\":\"busy\"}");
        List<PluginException> failures = rt.gc(fakeList(), List.of());
        assertThat(failures).hasSize(1);
        assertThat(failures.get(0).msg()).contains("fake-ipam: busy");
        assertThat(fake.calls()).containsExactly("GC");
        assertThat(NetworkConfigList.JSON.readTree(fake.stdin("GC")).get("cni.dev/valid-attachments"))
                .isEmpty();
        assertThat(podLink(a))
                .as("our side was collected even though the delegate failed")
                .isEmpty();
    }

    /** P23: as an IPAM delegate (weft-ipam) the result is abbreviated. */
    @Test
    void p23WeftIpamAnswersAbbreviated() throws Exception {
        var a = newPod("p23");
        NetworkConfigList list = NetworkConfigList.parse(
                """
                {"cniVersion":"1.0.0","name":"ref","plugins":[{"type":"bridge","ipam":{"type":"weft-ipam"}}]}""");
        ObjectNode conf = conf(list, a);
        PluginRun run = rt.invoke("weft-ipam", "ADD", a, conf);
        JsonNode r = NetworkConfigList.JSON.readTree(run.stdout());
        assertThat(r.has("interfaces")).isFalse();
        assertThat(r.get("ips").get(0).has("interface")).isFalse();
        String address = r.get("ips").get(0).get("address").asText();
        assertThat(ipam.owner(InetAddress.getByName(address.split("/")[0]))).contains(a.containerId());
        rt.invoke("weft-ipam", "CHECK", a, conf);
        rt.invoke("weft-ipam", "DEL", a, conf);
        assertThat(ipam.owner(InetAddress.getByName(address.split("/")[0]))).isEmpty();
    }

    /** P23 for real: Debian's bridge plugin delegating its IPAM to weft-ipam. */
    @Test
    void p23DebianBridgeWithWeftIpam() throws Exception {
        var a = newPod("p23br");
        NetworkConfigList list = NetworkConfigList.parse(
                """
                {"cniVersion":"1.0.0","name":"ref","plugins":[
                  {"type":"bridge","bridge":"cniref0","ipam":{"type":"weft-ipam"}}]}""");
        ObjectNode r = rt.add(list, a);
        String address = r.get("ips").get(0).get("address").asText();
        assertThat(ipam.owner(InetAddress.getByName(address.split("/")[0]))).contains(a.containerId());
        assertThat(r.get("interfaces").get(0).get("name").asText()).isEqualTo("cniref0");
        rt.check(list, a);
        rt.del(list, a);
        assertThat(ipam.owner(InetAddress.getByName(address.split("/")[0]))).isEmpty();
        assertThat(bed.hostRt.links().deleteIfExists("cniref0")).isTrue();
    }
}
