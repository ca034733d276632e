package dev.weft.cni.internal.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.cni.internal.wire.ShimRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Validation: codes 1, 2, 4, 6, 7 with messages naming the variable or key (P06, P24, P25, P26). */
class RequestParserTest {

    static final String CONF = "{\"cniVersion\":\"%s\",\"name\":\"weft\",\"type\":\"weft\"%s}";

    static ShimRequest req(String command, String ifname, String config) {
        return new ShimRequest(
                false,
                command,
                "c0ffee",
                "/run/netns/pod",
                ifname,
                "",
                "/opt/cni/bin",
                config.getBytes(StandardCharsets.UTF_8));
    }

    static ShimRequest add(String extra) {
        return req("ADD", "eth0", CONF.formatted("1.1.0", extra));
    }

    static CniException fails(ShimRequest r) {
        try {
            RequestParser.parse(r);
        } catch (CniException e) {
            return e;
        }
        throw new AssertionError("accepted " + r);
    }

    @Test
    void acceptsAMinimalAdd() throws CniException {
        CniRequest r = RequestParser.parse(add(""));
        assertThat(r.command()).isEqualTo(CniCommand.ADD);
        assertThat(r.config().bridge()).isEqualTo("weft");
        assertThat(r.config().hairpin()).isTrue();
        assertThat(r.config().mtu()).isEmpty();
        assertThat(r.config().ipam()).isEqualTo(new Ipam.Weft(java.util.Optional.empty()));
        assertThat(r.cniPath()).containsExactly(java.nio.file.Path.of("/opt/cni/bin"));
    }

    @Test
    void missingVariablesAreAllNamed() {
        var e = fails(new ShimRequest(
                false, "ADD", "", "", "", "", "", CONF.formatted("1.1.0", "").getBytes(StandardCharsets.UTF_8)));
        assertThat(e.code()).isEqualTo(CniErrorCode.INVALID_ENVIRONMENT);
        assertThat(e.getMessage()).contains("CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME");
    }

    @Test
    void delNeedsNoNetns() throws CniException {
        var r = new ShimRequest(
                false,
                "DEL",
                "c",
                "",
                "eth0",
                "",
                "",
                CONF.formatted("1.1.0", "").getBytes(StandardCharsets.UTF_8));
        assertThat(RequestParser.parse(r).netns()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "''|CNI_COMMAND is not set",
                "add|CNI_COMMAND \"add\" is not one of",
                "DELETE|CNI_COMMAND \"DELETE\""
            })
    void badCommands(String command, String message) {
        var e = fails(req(command, "eth0", CONF.formatted("1.1.0", "")));
        assertThat(e.code()).isEqualTo(CniErrorCode.INVALID_ENVIRONMENT);
        assertThat(e.getMessage()).contains(message);
    }

    /** P06: names the kernel would refuse. */
    @ParameterizedTest
    @ValueSource(strings = {"eth0123456789012", ".", "..", "a/b", "a:b", "a b", "tab\there", "ünïcödé-lång"})
    void badIfnames(String ifname) {
        var e = fails(req("ADD", ifname, CONF.formatted("1.1.0", "")));
        assertThat(e.code()).isEqualTo(CniErrorCode.INVALID_ENVIRONMENT);
        assertThat(e.getMessage()).startsWith("CNI_IFNAME \"");
    }

    @Test
    void fifteenBytesIsFine() throws CniException {
        assertThat(RequestParser.parse(req("ADD", "eth012345678901", CONF.formatted("1.1.0", "")))
                        .ifname())
                .hasSize(15);
    }

    @Test
    void badContainerId() {
        var r = new ShimRequest(
                false,
                "ADD",
                "-bad id",
                "/n",
                "eth0",
                "",
                "",
                CONF.formatted("1.1.0", "").getBytes(StandardCharsets.UTF_8));
        var e = fails(r);
        assertThat(e.code()).isEqualTo(CniErrorCode.INVALID_ENVIRONMENT);
        assertThat(e.getMessage()).contains("CNI_CONTAINERID \"-bad id\" is invalid");
    }

    @Test
    void relativeNetns() {
        var r = new ShimRequest(
                false,
                "ADD",
                "c",
                "netns/x",
                "eth0",
                "",
                "",
                CONF.formatted("1.1.0", "").getBytes(StandardCharsets.UTF_8));
        assertThat(fails(r).getMessage()).contains("CNI_NETNS \"netns/x\" is not an absolute path");
    }

    @Test
    void cniArgs() throws CniException {
        var ok = new ShimRequest(
                false,
                "ADD",
                "c",
                "/n",
                "eth0",
                "IgnoreUnknown=1;K8S_POD_NAME=p;FOO=bar",
                "",
                CONF.formatted("1.1.0", "").getBytes(StandardCharsets.UTF_8));
        assertThat(RequestParser.parse(ok).args())
                .containsEntry("K8S_POD_NAME", "p")
                .containsEntry("FOO", "bar");
        var unknown = new ShimRequest(
                false,
                "ADD",
                "c",
                "/n",
                "eth0",
                "FOO=bar",
                "",
                CONF.formatted("1.1.0", "").getBytes(StandardCharsets.UTF_8));
        assertThat(fails(unknown).getMessage()).contains("CNI_ARGS has unknown key FOO=bar");
        var broken = new ShimRequest(
                false,
                "ADD",
                "c",
                "/n",
                "eth0",
                "novalue",
                "",
                CONF.formatted("1.1.0", "").getBytes(StandardCharsets.UTF_8));
        assertThat(fails(broken).getMessage()).contains("CNI_ARGS entry \"novalue\" is not KEY=VALUE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "[]", "{\"a\":1} x", "{\"cniVersion\":\"1.1.0\",\"cniVersion\":\"1.0.0\"}"})
    void undecodableConfigIsCode6(String config) {
        assertThat(fails(req("ADD", "eth0", config)).code()).isEqualTo(CniErrorCode.DECODING_FAILURE);
    }

    /** P25: the version matrix. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "ADD|0.2.0|1",
                "ADD|0.1.0|1",
                "ADD|2.0.0|1",
                "ADD|1.1|6",
                "ADD|one|6",
                "CHECK|0.3.1|1",
                "CHECK|0.4.0|0",
                "GC|1.0.0|1",
                "STATUS|1.0.0|1",
                "STATUS|1.1.0|0",
                "ADD|0.3.0|0",
                "ADD|0.3.1|0",
                "ADD|0.4.0|0",
                "ADD|1.0.0|0",
                "ADD|1.1.0|0"
            })
    void versionMatrix(String command, String version, int code) throws CniException {
        var r = req(command, "eth0", CONF.formatted(version, ""));
        if (code == 0) {
            assertThat(RequestParser.parse(r).config().version().text()).isEqualTo(version);
        } else {
            assertThat(fails(r).code()).isEqualTo(code);
        }
    }

    @Test
    void missingVersionIsIncompatible() {
        var e = fails(req("ADD", "eth0", "{\"name\":\"weft\",\"type\":\"weft\"}"));
        assertThat(e.code()).isEqualTo(CniErrorCode.INCOMPATIBLE_VERSION);
        assertThat(e.getMessage()).contains("cniVersion is missing");
    }

    /** P24: code 2 names the key and the value. */
    @Test
    void unknownKeyIsCode2WithKeyAndValue() {
        var e = fails(add(",\"hairpinMod\":true"));
        assertThat(e.code()).isEqualTo(CniErrorCode.UNSUPPORTED_FIELD);
        assertThat(e.getMessage()).contains("\"hairpinMod\"").contains("true");
    }

    /** P26: well-known keys keep their meaning or are refused, never ignored. */
    @Test
    void ipMasqIsParsedAndRefusedWithADelegatedIpam() throws CniException {
        assertThat(RequestParser.parse(add(",\"ipMasq\":true")).config().ipMasq())
                .isTrue();
        assertThat(RequestParser.parse(add(",\"ipMasq\":false")).config().ipMasq())
                .isFalse();
        assertThat(RequestParser.parse(add("")).config().ipMasq()).isFalse();
        var e = fails(add(",\"ipMasq\":true,\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.1.0.0/16\"}"));
        assertThat(e.code()).isEqualTo(CniErrorCode.UNSUPPORTED_FIELD);
        assertThat(e.getMessage()).contains("\"ipMasq\"");
        assertThat(fails(add(",\"ipMasq\":\"yes\"")).code()).isEqualTo(CniErrorCode.INVALID_NETWORK_CONFIG);
    }

    @Test
    void dnsIsParsedAndBadDnsRefused() throws CniException {
        var r = RequestParser.parse(add(",\"dns\":{\"nameservers\":[\"10.96.0.10\"],\"search\":[\"a\"]}"));
        assertThat(r.config().dns().orElseThrow().nameservers()).containsExactly("10.96.0.10");
        assertThat(fails(add(",\"dns\":{\"nameservers\":\"10.96.0.10\"}")).code())
                .isEqualTo(CniErrorCode.INVALID_NETWORK_CONFIG);
    }

    @Test
    void ipamKinds() throws CniException {
        assertThat(RequestParser.parse(add(",\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.1.0.0/16\"}"))
                        .config()
                        .ipam())
                .isEqualTo(new Ipam.Delegate("host-local"));
        assertThat(RequestParser.parse(add(",\"ipam\":{\"type\":\"weft-ipam\",\"subnet\":\"10.40.0.0/16\"}"))
                        .config()
                        .ipam())
                .isEqualTo(new Ipam.Weft(java.util.Optional.of(IpPrefix.parse("10.40.0.0/16"))));
        var e = fails(add(",\"ipam\":{\"type\":\"weft-ipam\",\"range\":\"x\"}"));
        assertThat(e.code()).isEqualTo(CniErrorCode.UNSUPPORTED_FIELD);
        assertThat(e.getMessage()).contains("ipam.range").contains("\"x\"");
        assertThat(fails(add(",\"ipam\":{}")).getMessage()).contains("ipam.type is missing");
        assertThat(fails(add(",\"ipam\":{\"type\":\"../x\"}")).getMessage()).contains("not a path");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "\"mtu\":67|mtu 67",
                "\"mtu\":\"1500\"|mtu \"1500\"",
                "\"bridge\":\"a/b\"|bridge \"a/b\"",
                "\"hairpinMode\":\"yes\"|hairpinMode \"yes\""
            })
    void invalidValuesAreCode7NamingTheKey(String extra, String message) {
        var e = fails(add("," + extra));
        assertThat(e.code()).isEqualTo(CniErrorCode.INVALID_NETWORK_CONFIG);
        assertThat(e.getMessage()).contains(message);
    }

    @Test
    void requestedAddresses() throws CniException {
        assertThat(RequestParser.parse(add(",\"runtimeConfig\":{\"ips\":[\"10.32.0.9/12\"]}"))
                        .config()
                        .requestedAddress())
                .contains(IpPrefix.parseAddress("10.32.0.9"));
        assertThat(RequestParser.parse(add(",\"args\":{\"cni\":{\"ips\":[\"10.32.0.9\"]}}"))
                        .config()
                        .requestedAddress())
                .contains(IpPrefix.parseAddress("10.32.0.9"));
        var two = fails(add(",\"runtimeConfig\":{\"ips\":[\"10.32.0.9\",\"10.32.0.10\"]}"));
        assertThat(two.getMessage()).contains("one address per attachment");
    }

    @Test
    void gcNeedsValidAttachments() throws CniException {
        var none = new ShimRequest(
                false, "GC", "", "", "", "", "", CONF.formatted("1.1.0", "").getBytes(StandardCharsets.UTF_8));
        assertThat(fails(none).getMessage()).contains("cni.dev/valid-attachments");
        var some = new ShimRequest(
                false,
                "GC",
                "",
                "",
                "",
                "",
                "",
                CONF.formatted("1.1.0", ",\"cni.dev/valid-attachments\":[{\"containerID\":\"a\",\"ifname\":\"eth0\"}]")
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(RequestParser.parse(some).config().validAttachments())
                .containsExactly(new AttachmentId("a", "eth0"));
    }

    @Test
    void weftIpamModeIgnoresTheMainPluginsKeys() throws CniException {
        var r = new ShimRequest(
                true,
                "ADD",
                "c",
                "/n",
                "eth0",
                "",
                "",
                """
                {"cniVersion":"1.0.0","name":"n","type":"bridge","isGateway":true,"ipam":{"type":"weft-ipam"}}"""
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(RequestParser.parse(r).ipamOnly()).isTrue();
        var bad = new ShimRequest(
                true,
                "ADD",
                "c",
                "/n",
                "eth0",
                "",
                "",
                """
                {"cniVersion":"1.0.0","name":"n","type":"bridge"}"""
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(fails(bad).getMessage()).contains("needs an \"ipam\" object");
    }
}
