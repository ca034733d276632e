package dev.weft.cni.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.cni.libcni.NetworkConfigList;
import dev.weft.cni.libcni.PluginRun;
import dev.weft.cni.testing.CniTestbed;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A real client: weftcnitool, built by Maven from Debian's libcni (the library containerd uses),
 * drives ADD, CHECK and DEL against the configuration the router wrote (Weft chained with Debian's
 * portmap), from inside the testbed's host namespace.
 */
class CniToolTest extends ConformanceBase {
    static final Path TOOL = Path.of("target/cnitool/weftcnitool").toAbsolutePath();

    static final String HOST_PORT =
            "{\"portMappings\":[{\"hostPort\":18082,\"containerPort\":80,\"protocol\":\"tcp\"}]}";

    PluginRun tool(Path confDir, String... args) throws IOException {
        return toolWith(HOST_PORT, confDir, args);
    }

    /** Runs the libcni client with {@code capArgs} as the runtime's capability arguments. */
    PluginRun toolWith(String capArgs, Path confDir, String... args) throws IOException {
        Map<String, String> env = new LinkedHashMap<>(bed.inheritedEnv());
        env.put("NETCONFPATH", confDir.toString());
        env.put(
                "CNI_PATH",
                String.join(":", bed.pluginPath().stream().map(Path::toString).toList()));
        env.put("CNI_CACHE_DIR", bed.root.resolve("libcni-cache").toString());
        env.put("CAP_ARGS", capArgs);
        var cmd = new java.util.ArrayList<String>();
        cmd.add("/usr/bin/nsenter");
        cmd.add("--net=" + bed.host.path());
        cmd.add(TOOL.toString());
        cmd.addAll(java.util.List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            return new PluginRun(p.waitFor(), out, err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Test
    void addCheckDelThroughLibcniWithPortmap() throws Exception {
        assertThat(TOOL).as("built by mvn test-compile").isExecutable();
        Path confDir = bed.config().confDir().orElseThrow(); // the router's own 10-weft.conflist
        Path pod = bed.pod("libcni");

        PluginRun add = tool(confDir, "add", "weft", pod.toString());
        assertThat(add.exitStatus()).as(add.stderr()).isZero();
        JsonNode r = NetworkConfigList.JSON.readTree(add.stdout());
        assertThat(r.get("cniVersion").asText()).isEqualTo("1.0.0");
        assertThat(r.get("interfaces").get(2).get("sandbox").asText()).isEqualTo(pod.toString());
        String address = r.get("ips").get(0).get("address").asText();
        assertThat(ipam.owner(InetAddress.getByName(address.split("/")[0]))).isPresent();
        assertThat(CniTestbed.exec(pod, "ping", "-c1", "-W2", CniTestbed.GATEWAY))
                .isZero();
        assertThat(CniTestbed.output(bed.host.path(), "iptables", "-t", "nat", "-S"))
                .contains("--dport 18082")
                .contains(address.split("/")[0] + ":80");

        // CHECK of the chain: Weft passes, Debian's portmap 1.1.1 fails for IPv4-only pods with a
        // hostPort: its checkPorts also checks the ip6tables chain, which only IPv6 pods get
        // (fixed upstream in containernetworking/plugins fb5d195f, first released in v1.3.0)
        PluginRun check = tool(confDir, "check", "weft", pod.toString());
        assertThat(check.exitStatus()).isNotZero();
        assertThat(check.stderr()).contains("could not check ipv6 dnat");

        PluginRun del = tool(confDir, "del", "weft", pod.toString());
        assertThat(del.exitStatus()).as(del.stderr()).isZero();
        assertThat(ipam.inUse()).isZero();
        assertThat(bed.hostVeths()).isEmpty();
        assertThat(CniTestbed.output(bed.host.path(), "iptables", "-t", "nat", "-S"))
                .doesNotContain("18082");
        PluginRun again = tool(confDir, "del", "weft", pod.toString());
        assertThat(again.exitStatus()).as(again.stderr()).isZero();
    }

    /** Without hostPorts portmap has nothing to check, so the whole chain's CHECK passes. */
    @Test
    void chainCheckPassesForAPodWithoutHostPorts() throws Exception {
        Path confDir = bed.config().confDir().orElseThrow();
        Path pod = bed.pod("libcni-noports");
        String none = "{\"portMappings\":[]}";
        PluginRun add = toolWith(none, confDir, "add", "weft", pod.toString());
        assertThat(add.exitStatus()).as(add.stderr()).isZero();
        PluginRun check = toolWith(none, confDir, "check", "weft", pod.toString());
        assertThat(check.exitStatus()).as(check.stderr()).isZero();
        try (var podRt = CniTestbed.rtnetlink(pod)) {
            podRt.links().setDown("eth0");
        }
        PluginRun broken = toolWith(none, confDir, "check", "weft", pod.toString());
        assertThat(broken.stderr()).contains("eth0 is down");
        assertThat(toolWith(none, confDir, "del", "weft", pod.toString()).exitStatus())
                .isZero();
    }

    @Test
    void checkThroughLibcni() throws Exception {
        Path confDir = Files.createDirectories(bed.root.resolve("net.d-solo"));
        Files.writeString(
                confDir.resolve("10-solo.conflist"),
                """
                {"cniVersion":"1.0.0","name":"solo","plugins":[{"type":"weft","bridge":"weft"}]}""");
        Path pod = bed.pod("libcni-check");
        assertThat(tool(confDir, "add", "solo", pod.toString()).exitStatus()).isZero();
        PluginRun check = tool(confDir, "check", "solo", pod.toString());
        assertThat(check.exitStatus()).as(check.stderr()).isZero();
        try (var podRt = CniTestbed.rtnetlink(pod)) {
            podRt.links().setDown("eth0");
        }
        PluginRun broken = tool(confDir, "check", "solo", pod.toString());
        assertThat(broken.exitStatus()).isNotZero();
        assertThat(broken.stderr()).contains("eth0 is down");
        assertThat(tool(confDir, "del", "solo", pod.toString()).exitStatus()).isZero();
        PluginRun version = tool(confDir, "version", "weft");
        assertThat(version.stdout()).contains("\"1.0.0\"");
    }

    /** The portmap CHECK failure above is Debian's portmap, not Weft: the reference bridge fails the same way. */
    @Test
    void debianPortmapCheckFailsWithTheReferenceBridgeToo() throws Exception {
        Path confDir = Files.createDirectories(bed.root.resolve("net.d-ref"));
        Files.writeString(
                confDir.resolve("10-ref.conflist"),
                """
                {"cniVersion":"1.0.0","name":"ref","plugins":[
                  {"type":"bridge","bridge":"cniref1","isGateway":true,
                   "ipam":{"type":"host-local","subnet":"10.99.0.0/24","dataDir":"%s"}},
                  {"type":"portmap","capabilities":{"portMappings":true},"snat":true}]}"""
                        .formatted(bed.root.resolve("hl-ref")));
        Path pod = bed.pod("libcni-ref");
        assertThat(tool(confDir, "add", "ref", pod.toString()).exitStatus()).isZero();
        PluginRun check = tool(confDir, "check", "ref", pod.toString());
        assertThat(check.exitStatus()).isNotZero();
        assertThat(check.stderr()).contains("could not check ipv6 dnat");
        assertThat(tool(confDir, "del", "ref", pod.toString()).exitStatus()).isZero();
        bed.hostRt.links().deleteIfExists("cniref1");
    }
}
