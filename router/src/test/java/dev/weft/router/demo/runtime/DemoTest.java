package dev.weft.router.demo.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.linux.api.NetNs;
import dev.weft.router.demo.DemoOptions;
import dev.weft.router.demo.DemoReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code weft demo} for real, short: 3 routers (separate {@code weft launch} processes in node
 * namespaces), one pod each, encrypted. Every pod reaches every other; every connection is
 * established on sleeve because the mesh is encrypted; then, on the kept mesh, the attach API's
 * edges (again, missing namespace, detach twice, attach after detach); at the end nothing of the
 * run is left.
 */
class DemoTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void threeEncryptedNodesReachEachOtherAndEverythingIsRemoved() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the demo needs root");
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8);
        Demo demo = new Demo(
                new DemoOptions(3, 1, Optional.of("demo-test"), true, Duration.ofSeconds(150), 2),
                out,
                Demo.randomPrefix());
        String prefix = demo.prefix();
        try {
            DemoReport r = demo.run();
            System.out.println(text.toString(StandardCharsets.UTF_8));
            assertThat(r.pings()).hasSize(6);
            assertThat(r.unreachable()).as("unreachable pairs").isZero();
            assertThat(r.pods())
                    .extracting(DemoReport.Pod::address)
                    .doesNotHaveDuplicates()
                    .allMatch(a -> a.endsWith("/12"));
            for (DemoReport.Node n : r.nodes()) {
                assertThat(n.connections())
                        .as(() -> n.nickname() + "'s connections; the routers' connection events:\n"
                                + connectionEvents(demo.logDir()))
                        .hasSize(2)
                        .allSatisfy(c -> {
                            assertThat(c.state()).isEqualTo("established");
                            assertThat(c.overlay()).isEqualTo("sleeve");
                            assertThat(c.why()).contains("encrypted");
                        });
            }
            assertThat(text.toString(StandardCharsets.UTF_8)).contains("Result: 6/6 pod pairs reachable");

            // Never loop: with the pods idle, the overlays carry next to nothing. A flood relayed
            // round a loop (stale broadcast trees) is millions of frames a minute.
            long[] before = deliveredFrames(demo);
            Thread.sleep(5000);
            long[] after = deliveredFrames(demo);
            for (int i = 0; i < before.length; i++) {
                assertThat(after[i] - before[i])
                        .as("frames node%d delivered from the overlay in 5 idle seconds", i)
                        .isLessThan(200);
            }

            NodeApi api = demo.api(0);
            // weft status connections: the overlay carrying each connection and why
            NodeApi.Reply conns = api.send("GET", "/status/connections", Duration.ofSeconds(10));
            assertThat(conns.body()
                            .lines()
                            .filter(l -> l.contains(
                                    "overlay sleeve: fastpath failed: refused:" + " connection is encrypted")))
                    .as(conns.body())
                    .hasSize(2);
            JsonNode connsJson =
                    JSON.readTree(api.send("GET", "/status/connections?format=json", Duration.ofSeconds(10))
                            .body());
            assertThat(connsJson).hasSize(2).allSatisfy(c -> {
                assertThat(c.path("overlayInUse").asText()).isEqualTo("sleeve");
                assertThat(c.path("overlayWhy").asText()).contains("encrypted");
            });

            String pod = r.pods().getFirst().netns();
            String address = r.pods().getFirst().address();
            JsonNode again = post(api, "/attach?netns=" + pod + "&format=json", 200);
            assertThat(again.path("alreadyAttached").asBoolean()).isTrue();
            assertThat(again.path("address").asText()).isEqualTo(address);

            NodeApi.Reply missing = api.send("POST", "/attach?netns=" + prefix + "nosuch", Duration.ofSeconds(30));
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.body()).contains("no network namespace " + prefix + "nosuch");

            JsonNode detached = post(api, "/detach?netns=" + pod + "&format=json", 200);
            assertThat(detached.path("detached").asBoolean()).isTrue();
            assertThat(detached.path("freed").get(0).asText()).isEqualTo(address);
            JsonNode twice = post(api, "/detach?netns=" + pod + "&format=json", 200);
            assertThat(twice.path("detached").asBoolean()).isFalse();
            assertThat(twice.path("freed")).isEmpty();

            JsonNode back = post(api, "/attach?netns=" + pod + "&format=json", 200);
            assertThat(back.path("alreadyAttached").asBoolean()).isFalse();
            assertThat(back.path("address").asText()).endsWith("/12");
        } finally {
            List<Process> routers = demo.routers();
            demo.cleanup();
            assertThat(routers).allSatisfy(p -> assertThat(p.isAlive()).isFalse());
            assertThat(NetNs.list()).noneMatch(n -> n.startsWith(prefix));
        }
    }

    private static long[] deliveredFrames(Demo demo) throws Exception {
        long[] out = new long[3];
        for (int i = 0; i < out.length; i++) {
            NodeApi.Reply r = demo.api(i).send("GET", "/status/dataplane?format=json", Duration.ofSeconds(10));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            out[i] = JSON.readTree(r.body()).path("delivered").asLong(-1);
            assertThat(out[i]).as("delivered counter of node%d", i).isNotNegative();
        }
        return out;
    }

    /** Connection lines of every router's log, for a failure message. */
    private static String connectionEvents(Path dir) {
        StringBuilder sb = new StringBuilder();
        try (var files = Files.list(dir)) {
            for (Path log :
                    files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
                sb.append(log.getFileName()).append('\n');
                for (String l : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    if (l.contains("connection added")
                            || l.contains("connection deleted")
                            || l.contains("refusing")
                            || l.contains("established")
                            || l.contains("sleeve:")) {
                        sb.append("  ").append(l).append('\n');
                    }
                }
            }
        } catch (IOException e) {
            sb.append("(cannot read the logs in ")
                    .append(dir)
                    .append(": ")
                    .append(e)
                    .append(')');
        }
        return sb.toString();
    }

    private static JsonNode post(NodeApi api, String q, int status) throws Exception {
        NodeApi.Reply r = api.send("POST", q, Duration.ofSeconds(60));
        assertThat(r.status()).as(q + ": " + r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }
}
