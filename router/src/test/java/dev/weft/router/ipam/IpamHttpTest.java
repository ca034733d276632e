package dev.weft.router.ipam;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.gossip.api.PeerName;
import dev.weft.ipam.api.Cidr;
import dev.weft.ipam.api.InitMode;
import dev.weft.ipam.api.IpamConfig;
import dev.weft.ipam.runtime.IpamRuntime;
import dev.weft.router.cli.WeftCli;
import dev.weft.router.http.HttpApi;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The IPAM HTTP API over a real IPAM with its SQLite store, on an ephemeral loopback port. */
class IpamHttpTest {

    @TempDir
    Path dir;

    IpamRuntime ipam;
    HttpApi api;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        IpamConfig config =
                IpamConfig.of(Cidr.parse("10.32.0.0/12"), Cidr.parse("10.32.0.0/16"), new InitMode.Consensus(1));
        ipam = IpamRuntime.standalone(config, new PeerName(0x02_00_00_00_00_01L), dir);
        api = HttpApi.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        new IpamHttp(ipam.ipam()).register(api);
    }

    @AfterEach
    void stop() {
        api.close();
        ipam.close();
    }

    record R(int status, String body) {}

    R call(String method, String path) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + api.address().getPort() + path))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return new R(r.statusCode(), r.body().strip());
    }

    @Test
    void allocateLookupClaimFreeAndRing() throws Exception {
        assertThat(call("POST", "/ip/abc123")).isEqualTo(new R(200, "10.32.0.1/16"));
        assertThat(call("POST", "/ip/abc123")).isEqualTo(new R(200, "10.32.0.1/16")); // idempotent
        assertThat(call("POST", "/ip/abc123/10.40.0.0/24")).isEqualTo(new R(200, "10.40.0.1/24"));
        assertThat(call("GET", "/ip/abc123")).isEqualTo(new R(200, "10.32.0.1/16 10.40.0.1/24"));
        assertThat(call("PUT", "/ip/other/10.32.5.5/16")).isEqualTo(new R(200, "10.32.5.5/16"));
        assertThat(call("GET", "/ip").body())
                .contains("\"containerid\" : \"other\"")
                .contains("10.32.5.5/16");
        assertThat(call("DELETE", "/ip/abc123/10.40.0.1")).isEqualTo(new R(200, "freed 10.40.0.1"));
        assertThat(call("DELETE", "/ip/abc123")).isEqualTo(new R(200, "freed 10.32.0.1/16"));
        assertThat(call("DELETE", "/ip/abc123").body()).contains("nothing to free");
        assertThat(call("GET", "/ip/abc123")).isEqualTo(new R(404, "no addresses for abc123"));
        R ring = call("GET", "/ring?timeout=5s");
        assertThat(ring.status()).isEqualTo(200);
        assertThat(ring.body()).contains("\"range\" : \"10.32.0.0/12\"").contains("02:00:00:00:00:01");
        assertThat(call("GET", "/ipinfo/defaultsubnet")).isEqualTo(new R(200, "10.32.0.0/16"));
        R status = call("GET", "/status/ipam");
        assertThat(status.body())
                .contains("Status: ready")
                .contains("02:00:00:00:00:01")
                .contains("(this peer)");
        assertThat(call("GET", "/status/ipam?format=json").body()).contains("\"state\" : \"READY\"");
        assertThat(call("GET", "/metrics/ipam").body())
                .contains("weft_ipam_allocated_addresses 1\n") // "other" holds 10.32.5.5
                .contains("weft_ipam_free_addresses 1048575\n")
                .contains("weft_ipam_refused_updates_total 0\n")
                .contains("weft_ipam_ring_addresses{owner=\"reachable\"} 1048576\n")
                .contains("weft_ipam_state{state=\"ready\"} 1\n")
                .contains("weft_ipam_state{state=\"left\"} 0\n");
    }

    @Test
    void badInputGets4xxWithAMessage() throws Exception {
        assertThat(call("POST", "/ip/bad%20id")).satisfies(r -> {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body()).contains("bad container id");
        });
        assertThat(call("POST", "/ip/x/10.99.0.0/24")).satisfies(r -> {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body()).contains("inside the range 10.32.0.0/12");
        });
        assertThat(call("POST", "/ip/x/10.32.0.300/24")).satisfies(r -> {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body()).contains("not an IPv4 address");
        });
        assertThat(call("POST", "/ip/x/10.32.0.0/33")).satisfies(r -> {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body()).contains("prefix length");
        });
        assertThat(call("POST", "/ip/x/10.32.0.5/24")).satisfies(r -> {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body()).contains("host bits are set").contains("10.32.0.0/24");
        });
        assertThat(call("POST", "/ip/x?timeout=soon").status()).isEqualTo(400);
        assertThat(call("PATCH", "/ip/x").status()).isEqualTo(405);
        assertThat(call("GET", "/ip/x/1/2/3/4").status()).isEqualTo(404);
        assertThat(call("PUT", "/ip/a/10.32.0.9/16").status()).isEqualTo(200);
        assertThat(call("PUT", "/ip/b/10.32.0.9/16")).satisfies(r -> {
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.body()).contains("held by container a");
        });
        assertThat(call("DELETE", "/peer/02:00:00:00:00:01")).satisfies(r -> {
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.body()).contains("this peer");
        });
        assertThat(call("DELETE", "/peer/not-a-peer").status()).isEqualTo(400);
        assertThat(call("DELETE", "/peer")).satisfies(r -> {
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.body()).contains("still allocated");
        });
    }

    @Test
    void cliStatusIpamAndRmpeerTalkToTheApi() throws Exception {
        call("POST", "/ip/c1");
        String addr = "127.0.0.1:" + api.address().getPort();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = WeftCli.newCommandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute("status", "ipam", "--http-addr", addr)).isZero();
        assertThat(out.toString())
                .contains("Service: ipam")
                .contains("Status: ready")
                .contains("1 here");
        assertThat(cli.execute("rmpeer", "--http-addr", addr, "02:00:00:00:00:09"))
                .isEqualTo(1);
        assertThat(err.toString()).contains("owns no space");
    }
}
