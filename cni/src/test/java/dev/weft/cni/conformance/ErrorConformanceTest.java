package dev.weft.cni.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.cni.libcni.NetworkConfigList;
import dev.weft.cni.testing.CniTestbed;
import dev.weft.linux.api.LinkSpec;
import dev.weft.linux.api.RtNetlink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Errors through the real shim and router: P01 and P02 for every verb, P24 and P25, and the
 * faulty inputs of the issue (bogus netns, duplicate ifname, malformed JSON, unknown cniVersion,
 * missing variables): the right code on stdout and a non-zero exit.
 */
class ErrorConformanceTest extends ConformanceBase {

    static String config(String version) {
        return "{\"cniVersion\":\"" + version + "\",\"name\":\"weft\",\"type\":\"weft\",\"bridge\":\"weft\"}";
    }

    /** P01: exit 0 for every verb on the happy path. */
    @Test
    void p01HappyPathsExitZero() throws Exception {
        var a = newPod("p01");
        NetworkConfigList list = bed.weftOnly("1.1.0");
        rt.add(list, a); // each of these throws on a non-zero exit
        rt.check(list, a);
        rt.status(list);
        assertThat(rt.gc(list, java.util.List.of(Map.entry(a.containerId(), "eth0"))))
                .isEmpty();
        rt.version("weft");
        rt.del(list, a);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "malformed JSON|ADD|{\"cniVersion\":\"1.1.0\",|6|not valid JSON",
                "not an object|ADD|[1,2]|6|not a JSON object",
                "empty stdin|ADD|''|6|no network configuration",
                "unknown cniVersion|ADD|{\"cniVersion\":\"0.2.0\",\"name\":\"weft\",\"type\":\"weft\"}|1|incompatible CNI version 0.2.0",
                "future cniVersion|ADD|{\"cniVersion\":\"2.0.0\",\"name\":\"weft\",\"type\":\"weft\"}|1|incompatible CNI version 2.0.0",
                "bad version string|ADD|{\"cniVersion\":\"v1\",\"name\":\"weft\",\"type\":\"weft\"}|6|not a version",
                "CHECK before 0.4.0|CHECK|{\"cniVersion\":\"0.3.1\",\"name\":\"weft\",\"type\":\"weft\"}|1|CHECK needs cniVersion 0.4.0",
                "STATUS before 1.1.0|STATUS|{\"cniVersion\":\"1.0.0\",\"name\":\"weft\",\"type\":\"weft\"}|1|STATUS needs cniVersion 1.1.0",
                "GC before 1.1.0|GC|{\"cniVersion\":\"1.0.0\",\"name\":\"weft\",\"type\":\"weft\"}|1|GC needs cniVersion 1.1.0",
                "unknown key (P24)|ADD|{\"cniVersion\":\"1.1.0\",\"name\":\"weft\",\"type\":\"weft\",\"vlan\":7}|2|unsupported field \"vlan\" with value 7",
                "invalid value|ADD|{\"cniVersion\":\"1.1.0\",\"name\":\"weft\",\"type\":\"weft\",\"mtu\":10}|7|mtu 10",
                "bad network name|ADD|{\"cniVersion\":\"1.1.0\",\"name\":\"a b\",\"type\":\"weft\"}|7|name \"a b\""
            })
    void badConfiguration(String what, String verb, String stdin, int code, String message) throws Exception {
        var a = newPod("cfg");
        JsonNode e = errorOf(shim(verb, a, Map.of(), stdin));
        assertThat(e.get("code").asInt()).as(what).isEqualTo(code);
        assertThat(e.get("msg").asText()).as(what).contains(message);
    }

    /** Missing variables: code 4, all of them named (P24). */
    @Test
    void missingVariables() throws Exception {
        var a = newPod("env");
        Map<String, String> unset = new HashMap<>();
        unset.put("CNI_NETNS", null);
        unset.put("CNI_IFNAME", null);
        JsonNode e = errorOf(shim("ADD", a, unset, config("1.1.0")));
        assertThat(e.get("code").asInt()).isEqualTo(4);
        assertThat(e.get("msg").asText()).contains("CNI_NETNS, CNI_IFNAME");
        JsonNode noId = errorOf(shim("CHECK", a, Map.of("CNI_CONTAINERID", ""), config("1.1.0")));
        assertThat(noId.get("msg").asText()).contains("CNI_CONTAINERID");
        JsonNode noCommand = errorOf(shim(
                "ADD",
                a,
                new HashMap<>(Map.of()) {
                    {
                        put("CNI_COMMAND", null);
                    }
                },
                config("1.1.0")));
        assertThat(noCommand.get("code").asInt()).isEqualTo(4);
        assertThat(noCommand.get("msg").asText()).contains("CNI_COMMAND");
    }

    @Test
    void bogusNetns() throws Exception {
        var a = newPod("bogus");
        int inUse = ipam.inUse();
        JsonNode missing =
                errorOf(shim("ADD", a, Map.of("CNI_NETNS", "/run/netns/" + bed.prefix + "absent"), config("1.1.0")));
        assertThat(missing.get("code").asInt()).isEqualTo(4);
        assertThat(missing.get("msg").asText()).contains("CNI_NETNS").contains("does not exist");
        Path notNs = Files.writeString(bed.root.resolve("not-a-netns"), "x");
        JsonNode file = errorOf(shim("ADD", a, Map.of("CNI_NETNS", notNs.toString()), config("1.1.0")));
        assertThat(file.get("code").asInt()).isEqualTo(4);
        assertThat(file.get("msg").asText()).contains("is not a network namespace");
        JsonNode relative = errorOf(shim("ADD", a, Map.of("CNI_NETNS", "netns/x"), config("1.1.0")));
        assertThat(relative.get("msg").asText()).contains("not an absolute path");
        assertThat(ipam.inUse()).as("a failed ADD holds no address").isEqualTo(inUse);
        assertThat(shim("DEL", a, Map.of("CNI_NETNS", "/run/netns/" + bed.prefix + "absent"), config("1.1.0"))
                        .exitStatus())
                .isZero();
    }

    @Test
    void duplicateIfname() throws Exception {
        var a = newPod("dup");
        try (RtNetlink pod = CniTestbed.rtnetlink(Path.of(a.netns()))) {
            pod.links().create(LinkSpec.bridge("eth0"));
        }
        JsonNode e = errorOf(shim("ADD", a, Map.of(), config("1.1.0")));
        assertThat(e.get("code").asInt()).isEqualTo(4);
        assertThat(e.get("msg").asText()).contains("CNI_IFNAME eth0 already exists");
        // and the second ADD of an attachment that exists
        var b = newPod("dup2");
        rt.add(bed.weftOnly("1.1.0"), b);
        JsonNode twice = errorOf(shim("ADD", b, Map.of(), config("1.1.0")));
        assertThat(twice.get("code").asInt()).isEqualTo(4);
        assertThat(twice.get("msg").asText()).contains("already has interface eth0");
        rt.del(bed.weftOnly("1.1.0"), b);
    }

    /** The error object carries the request's cniVersion. */
    @Test
    void errorsCarryTheRequestVersion() throws Exception {
        var a = newPod("ver");
        JsonNode e = errorOf(shim("ADD", a, Map.of("CNI_IFNAME", "a/b"), config("0.4.0")));
        assertThat(e.get("cniVersion").asText()).isEqualTo("0.4.0");
    }
}
