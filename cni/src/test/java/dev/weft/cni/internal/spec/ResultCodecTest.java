package dev.weft.cni.internal.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** P03: the result in each version's exact format (golden JSON), and reading results back. */
class ResultCodecTest {

    static Result sample() {
        var gw = IpPrefix.parseAddress("10.32.0.1");
        return new Result(
                List.of(
                        new Result.Interface(
                                "weft",
                                Optional.of("aa:bb:cc:00:00:01"),
                                Optional.of(1376),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty()),
                        new Result.Interface(
                                "vethwe012345678",
                                Optional.of("aa:bb:cc:00:00:02"),
                                Optional.of(1376),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty()),
                        new Result.Interface(
                                "eth0",
                                Optional.of("aa:bb:cc:00:00:03"),
                                Optional.of(1376),
                                Optional.of("/run/netns/p"),
                                Optional.empty(),
                                Optional.empty())),
                List.of(new Result.IpConfig(IpPrefix.parse("10.32.0.5/12"), Optional.of(gw), Optional.of(2))),
                List.of(
                        new Result.Route(
                                IpPrefix.parse("10.40.0.1/32"),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.of(253)),
                        Result.Route.via(IpPrefix.parse("0.0.0.0/0"), Optional.of(gw))),
                Optional.of(new Result.Dns(
                        List.of("10.96.0.10"),
                        Optional.of("cluster.local"),
                        List.of("svc.cluster.local"),
                        List.of("ndots:5"))));
    }

    static final String LEGACY =
            """
            {"cniVersion":"%s","interfaces":[{"name":"weft","mac":"aa:bb:cc:00:00:01"},\
            {"name":"vethwe012345678","mac":"aa:bb:cc:00:00:02"},\
            {"name":"eth0","mac":"aa:bb:cc:00:00:03","sandbox":"/run/netns/p"}],\
            "ips":[{"version":"4","interface":2,"address":"10.32.0.5/12","gateway":"10.32.0.1"}],\
            "routes":[{"dst":"10.40.0.1/32"},{"dst":"0.0.0.0/0","gw":"10.32.0.1"}],\
            "dns":{"nameservers":["10.96.0.10"],"domain":"cluster.local","search":["svc.cluster.local"],"options":["ndots:5"]}}""";

    @ParameterizedTest
    @EnumSource(names = {"V0_3_0", "V0_3_1", "V0_4_0"})
    void legacyFormatsCarryIpVersion(CniVersion v) {
        assertThat(ResultCodec.render(sample(), v).toString()).isEqualTo(LEGACY.formatted(v.text()));
    }

    @Test
    void v100DropsIpVersionAndHasNoMtu() {
        assertThat(ResultCodec.render(sample(), CniVersion.V1_0_0).toString())
                .isEqualTo(
                        """
                        {"cniVersion":"1.0.0","interfaces":[{"name":"weft","mac":"aa:bb:cc:00:00:01"},\
                        {"name":"vethwe012345678","mac":"aa:bb:cc:00:00:02"},\
                        {"name":"eth0","mac":"aa:bb:cc:00:00:03","sandbox":"/run/netns/p"}],\
                        "ips":[{"interface":2,"address":"10.32.0.5/12","gateway":"10.32.0.1"}],\
                        "routes":[{"dst":"10.40.0.1/32"},{"dst":"0.0.0.0/0","gw":"10.32.0.1"}],\
                        "dns":{"nameservers":["10.96.0.10"],"domain":"cluster.local","search":["svc.cluster.local"],"options":["ndots:5"]}}""");
    }

    @Test
    void v110HasMtuAndRouteScope() {
        assertThat(ResultCodec.render(sample(), CniVersion.V1_1_0).toString())
                .isEqualTo(
                        """
                        {"cniVersion":"1.1.0","interfaces":[{"name":"weft","mac":"aa:bb:cc:00:00:01","mtu":1376},\
                        {"name":"vethwe012345678","mac":"aa:bb:cc:00:00:02","mtu":1376},\
                        {"name":"eth0","mac":"aa:bb:cc:00:00:03","mtu":1376,"sandbox":"/run/netns/p"}],\
                        "ips":[{"interface":2,"address":"10.32.0.5/12","gateway":"10.32.0.1"}],\
                        "routes":[{"dst":"10.40.0.1/32","scope":253},{"dst":"0.0.0.0/0","gw":"10.32.0.1"}],\
                        "dns":{"nameservers":["10.96.0.10"],"domain":"cluster.local","search":["svc.cluster.local"],"options":["ndots:5"]}}""");
    }

    @ParameterizedTest
    @EnumSource(CniVersion.class)
    void everyFormatReadsBackToTheSameModel(CniVersion v) throws CniException {
        Result back = ResultCodec.parse(ResultCodec.render(sample(), v), "result");
        Result expected = sample();
        if (!v.atLeast(CniVersion.V1_1_0)) {
            // older formats cannot carry MTU and route scope
            assertThat(back.ips()).isEqualTo(expected.ips());
            assertThat(back.interfaces())
                    .extracting(Result.Interface::name, Result.Interface::mac, Result.Interface::sandbox)
                    .containsExactlyElementsOf(expected.interfaces().stream()
                            .map(i -> org.assertj.core.groups.Tuple.tuple(i.name(), i.mac(), i.sandbox()))
                            .toList());
        } else {
            assertThat(back).isEqualTo(expected);
        }
    }

    @Test
    void appendKeepsThePreviousResultAndShiftsInterfaceIndices() throws Exception {
        ObjectNode prev = (ObjectNode)
                RequestParser.JSON.readTree(
                        """
                {"cniVersion":"1.0.0","interfaces":[{"name":"lo0","sandbox":"/run/netns/p"}],
                 "ips":[{"interface":0,"address":"192.168.9.9/32"}],"custom":{"kept":true}}""");
        ObjectNode out = ResultCodec.append(prev, sample(), CniVersion.V1_0_0);
        assertThat(out.get("interfaces")).hasSize(4);
        assertThat(out.get("ips").get(0).get("interface").asInt()).isEqualTo(0);
        assertThat(out.get("ips").get(1).get("interface").asInt()).isEqualTo(3);
        assertThat(out.get("ips").get(1).get("address").asText()).isEqualTo("10.32.0.5/12");
        assertThat(out.get("custom").get("kept").asBoolean()).isTrue();
        assertThat(out.get("dns").get("domain").asText()).isEqualTo("cluster.local");
    }

    @Test
    void appendingNothingGivesThePreviousResult() throws Exception {
        ObjectNode prev = (ObjectNode) RequestParser.JSON.readTree(LEGACY.formatted("0.4.0"));
        ObjectNode out = ResultCodec.append(
                prev, new Result(List.of(), List.of(), List.of(), Optional.empty()), CniVersion.V0_4_0);
        assertThat(out).isEqualTo(prev);
    }

    @Test
    void parseRejectsAnIndexPastTheInterfaces() throws Exception {
        var bad = RequestParser.JSON.readTree(
                """
                {"cniVersion":"1.0.0","interfaces":[{"name":"eth0"}],"ips":[{"interface":1,"address":"10.0.0.1/24"}]}""");
        assertThatThrownBy(() -> ResultCodec.parse(bad, "prevResult"))
                .isInstanceOf(CniException.class)
                .hasMessageContaining("prevResult.ips[].interface 1 does not index an interface")
                .extracting(e -> ((CniException) e).code())
                .isEqualTo(CniErrorCode.DECODING_FAILURE);
    }

    @Test
    void parseRejectsAnAddressWithoutPrefix() throws Exception {
        var bad = RequestParser.JSON.readTree(
                """
                {"cniVersion":"1.0.0","ips":[{"address":"10.0.0.1"}]}""");
        assertThatThrownBy(() -> ResultCodec.parse(bad, "prevResult"))
                .hasMessageContaining("prevResult.ips[].address")
                .hasMessageContaining("no prefix length");
    }
}
