package dev.weft.cni.libcni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.cni.testing.FakePlugin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test runtime behaves as libcni (R01-R09), checked with recording fake plugins, so that the
 * conformance suite exercises the plugin the way containerd and CRI-O do.
 */
class CniRuntimeTest {
    @TempDir
    Path tmp;

    FakePlugin first;
    FakePlugin second;
    CniRuntime runtime;
    NetworkConfigList list;
    CniRuntime.Attachment pod = new CniRuntime.Attachment(
            "ctr1",
            "/run/netns/x",
            "eth0",
            List.of(Map.entry("IgnoreUnknown", "1"), Map.entry("K8S_POD_NAME", "p")),
            Map.of());

    @BeforeEach
    void setUp() throws Exception {
        first = FakePlugin.install(tmp.resolve("bin"), "first")
                .result("{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.0.0.2/24\"}]}");
        second = FakePlugin.install(tmp.resolve("bin"), "second")
                .result(
                        "{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.0.0.2/24\"}],\"dns\":{\"domain\":\"second\"}}");
        runtime = new CniRuntime(
                List.of(tmp.resolve("nothing"), tmp.resolve("bin")),
                tmp.resolve("cache"),
                Map.of("PATH", "/usr/bin:/bin", "CNI_COMMAND", "stale"));
        list = NetworkConfigList.parse(
                """
                {"cniVersion":"0.4.0","cniVersions":["1.0.0","9.9.9"],"name":"net","plugins":[
                  {"type":"first","custom":{"kept":[1,2]}},
                  {"type":"second","capabilities":{"portMappings":true,"bandwidth":true,"mac":false}}]}""");
    }

    @Test
    void r01PicksTheHighestSupportedVersion() throws Exception {
        assertThat(CniRuntime.selectVersion(list)).isEqualTo("1.0.0");
    }

    @Test
    void r02InjectsVersionAndNameStripsCapabilitiesAndPassesUnknownKeys() throws Exception {
        var withCaps = new CniRuntime.Attachment(
                "ctr1",
                "/run/netns/x",
                "eth0",
                List.of(),
                Map.of(
                        "portMappings",
                                NetworkConfigList.JSON.readTree(
                                        "[{\"hostPort\":8080,\"containerPort\":80,\"protocol\":\"tcp\"}]"),
                        "mac", NetworkConfigList.JSON.readTree("\"aa:bb:cc:dd:ee:ff\"")));
        runtime.add(list, withCaps);
        JsonNode a = NetworkConfigList.JSON.readTree(first.stdin("ADD"));
        assertThat(a.get("cniVersion").asText()).isEqualTo("1.0.0");
        assertThat(a.get("name").asText()).isEqualTo("net");
        assertThat(a.get("custom").toString()).isEqualTo("{\"kept\":[1,2]}");
        assertThat(a.has("runtimeConfig")).isFalse();
        JsonNode b = NetworkConfigList.JSON.readTree(second.stdin("ADD"));
        assertThat(b.has("capabilities")).isFalse();
        assertThat(b.get("runtimeConfig").fieldNames()).toIterable().containsExactly("portMappings");
    }

    @Test
    void r03ChainsResultsAndR06CachesTheFinalOne() throws Exception {
        var result = runtime.add(list, pod);
        assertThat(NetworkConfigList.JSON.readTree(first.stdin("ADD")).has("prevResult"))
                .isFalse();
        JsonNode b = NetworkConfigList.JSON.readTree(second.stdin("ADD"));
        assertThat(b.get("prevResult").get("ips").get(0).get("address").asText())
                .isEqualTo("10.0.0.2/24");
        assertThat(result.get("dns").get("domain").asText()).isEqualTo("second");
        Path cache = tmp.resolve("cache/results/net-ctr1-eth0");
        assertThat(cache).exists();
        assertThat(runtime.cachedResult(list, pod)).contains(result);
        runtime.check(list, pod);
        assertThat(NetworkConfigList.JSON.readTree(first.stdin("CHECK")).get("prevResult"))
                .isEqualTo(result);
        runtime.del(list, pod);
        assertThat(NetworkConfigList.JSON.readTree(first.stdin("DEL")).get("prevResult"))
                .isEqualTo(result);
        assertThat(cache).doesNotExist();
    }

    @Test
    void r04DeletesInReverseAndStopsAtTheFirstError() throws Exception {
        runtime.add(list, pod);
        runtime.clearInvocations();
        runtime.del(list, pod);
        assertThat(runtime.invocations())
                .extracting(CniRuntime.Invocation::type)
                .containsExactly("second", "first");

        first.fail("ADD", "{\"cniVersion\":\"1.0.0\",\"code\":11,\"msg\":\"busy\"}");
        runtime.clearInvocations();
        assertThatThrownBy(() -> runtime.add(list, pod))
                .isInstanceOf(PluginException.class)
                .satisfies(e -> assertThat(((PluginException) e).code()).isEqualTo(11));
        assertThat(runtime.invocations())
                .extracting(CniRuntime.Invocation::type)
                .containsExactly("first");
    }

    @Test
    void r04GcRunsEveryPluginAndAggregates() throws Exception {
        var gcList = NetworkConfigList.parse(
                """
                {"cniVersion":"1.1.0","name":"net","plugins":[{"type":"first"},{"type":"second"}]}""");
        first.fail("GC", "{\"cniVersion\":\"1.1.0\",\"code\":7,\"msg\":\"nope\"}");
        var failures = runtime.gc(gcList, List.of(Map.entry("ctr1", "eth0")));
        assertThat(failures).hasSize(1);
        assertThat(second.calls()).containsExactly("GC");
        assertThat(NetworkConfigList.JSON
                        .readTree(second.stdin("GC"))
                        .get("cni.dev/valid-attachments")
                        .toString())
                .isEqualTo("[{\"containerID\":\"ctr1\",\"ifname\":\"eth0\"}]");
    }

    @Test
    void r05HonoursDisableCheckAndNeverChecksWithoutAdd() throws Exception {
        assertThatThrownBy(() -> runtime.check(list, pod)).hasMessageContaining("not ADDed");
        assertThat(first.calls()).isEmpty();
        var noCheck = NetworkConfigList.parse(
                """
                {"cniVersion":"1.0.0","disableCheck":true,"name":"net","plugins":[{"type":"first"}]}""");
        runtime.add(noCheck, pod);
        runtime.check(noCheck, pod);
        assertThat(first.calls()).containsExactly("ADD");
    }

    @Test
    void r08SetsTheCniEnvironmentOverTheInheritedOne() throws Exception {
        runtime.add(list, pod);
        assertThat(first.env("ADD"))
                .containsExactly(
                        "CNI_ARGS=IgnoreUnknown=1;K8S_POD_NAME=p",
                        "CNI_COMMAND=ADD",
                        "CNI_CONTAINERID=ctr1",
                        "CNI_IFNAME=eth0",
                        "CNI_NETNS=/run/netns/x",
                        "CNI_PATH=" + tmp.resolve("nothing") + ":" + tmp.resolve("bin"));
    }

    @Test
    void r09ReadsTheErrorFromStdoutElseStderr() throws Exception {
        first.fail("ADD", "{\"code\":7,\"msg\":\"bad\",\"details\":\"long\"}");
        assertThatThrownBy(() -> runtime.add(list, pod)).satisfies(e -> {
            PluginException p = (PluginException) e;
            assertThat(p.code()).isEqualTo(7);
            assertThat(p.msg()).isEqualTo("bad");
            assertThat(p.details()).isEqualTo("long");
        });
        first.fail("ADD", "not json");
        assertThatThrownBy(() -> runtime.add(list, pod)).satisfies(e -> {
            PluginException p = (PluginException) e;
            assertThat(p.code()).isEqualTo(-1);
            assertThat(p.msg()).isEqualTo("first says ADD to stderr");
        });
    }

    @Test
    void findsPluginsInCniPathOnly() {
        assertThatThrownBy(() -> runtime.find("absent")).hasMessageContaining("failed to find plugin \"absent\"");
        assertThat(Files.isExecutable(tmp.resolve("bin/first"))).isTrue();
    }
}
