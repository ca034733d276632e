package dev.weft.router.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.gossip.api.MeshStatus;
import dev.weft.gossip.api.PeerName;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routers in one JVM on loopback: the mesh forms, and the HTTP API shows it and takes targets. */
class RouterTest {

    @TempDir
    Path dir;

    private final List<Router> routers = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        routers.forEach(Router::close);
    }

    private Router start(int i, byte[] password, List<String> peers) throws Exception {
        RouterConfig c = new RouterConfig(
                PeerName.of(0x0200_0000_0000L + i),
                "r" + i,
                password,
                peers,
                "127.0.0.1",
                0,
                200,
                true,
                new InetSocketAddress("127.0.0.1", 0),
                dir.resolve("r" + i));
        Router r = Router.start(c, Router.coreComponents());
        routers.add(r);
        return r;
    }

    private static String meshAddress(Router r) {
        InetSocketAddress a = r.mesh().status().listenAddress();
        return "127.0.0.1:" + a.getPort();
    }

    private HttpResponse<String> get(Router r, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + r.httpAddress().getPort() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(Router r, String pathAndQuery) throws Exception {
        return http.send(
                HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + r.httpAddress().getPort() + pathAndQuery))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static boolean await(BooleanSupplier c, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (c.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return c.getAsBoolean();
    }

    private static long established(Router r) {
        return r.mesh().status().connections().stream()
                .filter(c -> c.state() == MeshStatus.ConnectionState.ESTABLISHED)
                .count();
    }

    @Test
    void threeRoutersFormAFullMeshAndReportIt() throws Exception {
        byte[] pw = "s3cret".getBytes(StandardCharsets.UTF_8);
        Router a = start(1, pw, List.of());
        Router b = start(2, pw, List.of(meshAddress(a)));
        Router c = start(3, pw, List.of(meshAddress(b)));
        assertThat(await(
                        () -> established(a) == 2 && established(b) == 2 && established(c) == 2,
                        Duration.ofSeconds(20)))
                .as(() -> "full mesh via discovery; connections and targets (with their last errors):\n"
                        + String.join(
                                "\n",
                                List.of(a, b, c).stream()
                                        .map(r -> r.mesh().name() + ": "
                                                + r.mesh().status().connections() + " "
                                                + r.mesh().status().targets())
                                        .toList()))
                .isTrue();

        HttpResponse<String> status = get(c, "/status");
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.body())
                .contains("Service: router")
                .contains("Name: 02:00:00:00:00:03(r3)")
                .contains("Encryption: enabled")
                .contains("Connections: 2 (2 established");
        assertThat(get(c, "/status/peers").body())
                .contains("02:00:00:00:00:01(r1)")
                .contains("02:00:00:00:00:02(r2)");
        assertThat(get(c, "/status/connections").body()).contains("established encrypted");
        assertThat(get(b, "/status/targets").body())
                .contains(meshAddress(a))
                .contains("direct")
                .contains("connected");
        HttpResponse<String> json = get(a, "/report");
        assertThat(json.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(json.body()).contains("\"ready\" : true").contains("\"peers\"");
        assertThat(get(a, "/status/peers?format=json").body()).contains("\"nickname\" : \"r3\"");
    }

    @Test
    void connectAndForgetChangeTheTargets() throws Exception {
        Router a = start(1, null, List.of());
        Router b = start(2, null, List.of());
        assertThat(post(b, "/connect?peer=" + meshAddress(a)).statusCode()).isEqualTo(200);
        assertThat(await(() -> established(a) == 1 && established(b) == 1, Duration.ofSeconds(20)))
                .isTrue();
        HttpResponse<String> bad = post(b, "/connect?peer=not:a:host:x");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("invalid");
        assertThat(post(b, "/forget?peer=" + meshAddress(a)).statusCode()).isEqualTo(200);
        assertThat(await(() -> !get0(b, "/status/targets").contains(meshAddress(a)), Duration.ofSeconds(5)))
                .isTrue();
        assertThat(established(b)).as("forget keeps the connection").isEqualTo(1);
    }

    private String get0(Router r, String path) {
        try {
            return get(r, path).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void unknownEndpointsAndMethodsAreExplained() throws Exception {
        Router a = start(1, null, List.of());
        HttpResponse<String> nf = get(a, "/nope");
        assertThat(nf.statusCode()).isEqualTo(404);
        assertThat(nf.body()).contains("no such endpoint");
        assertThat(get(a, "/status/nope").statusCode()).isEqualTo(404);
        assertThat(get(a, "/connect").statusCode()).isEqualTo(405);
        assertThat(post(a, "/connect").statusCode()).isEqualTo(400);
        assertThat(post(a, "/status/peers").statusCode()).isEqualTo(405);
    }
}
