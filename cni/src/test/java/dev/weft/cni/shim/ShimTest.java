package dev.weft.cni.shim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.cni.internal.wire.ShimCodec;
import dev.weft.cni.internal.wire.ShimRequest;
import dev.weft.cni.internal.wire.ShimResponse;
import dev.weft.cni.libcni.PluginRun;
import dev.weft.cni.testing.Shim;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The C shim on its own: what it answers itself (VERSION; everything when the router is down),
 * the DEL queue, and that it relays requests and answers byte for byte. The router side is
 * faked here with a socket that speaks the frame protocol; CniConformanceTest uses the real one.
 */
class ShimTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CONF = "{\"cniVersion\":\"1.0.0\",\"name\":\"weft\",\"type\":\"weft\"}";

    @TempDir
    Path tmp;

    Map<String, String> env(String command) {
        Map<String, String> env = new HashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", "c0ffee");
        env.put("CNI_NETNS", "/run/netns/nowhere");
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_PATH", "/opt/cni/bin");
        env.put("WEFT_CNI_SOCKET", tmp.resolve("absent.sock").toString());
        env.put("WEFT_CNI_DEL_QUEUE", tmp.resolve("queue").toString());
        return env;
    }

    static JsonNode error(PluginRun run) throws IOException {
        assertThat(run.exitStatus()).as("exit status of a failure (P01)").isNotZero();
        JsonNode e = JSON.readTree(run.stdout());
        assertThat(e.has("cniVersion") && e.has("code") && e.has("msg"))
                .as("error object on stdout (P02): %s", run.stdout())
                .isTrue();
        return e;
    }

    @Test
    void isAStaticExecutableOfModestSize() throws IOException {
        assertThat(Shim.isStatic(Shim.binary()))
                .as("no ELF interpreter, no dynamic section")
                .isTrue();
        assertThat(Files.size(Shim.binary())).as("bytes").isLessThan(256 * 1024);
        assertThat(Files.readSymbolicLink(Shim.dir().resolve("weft-ipam"))).isEqualTo(Path.of("weft"));
    }

    /** P19: VERSION needs no other variable and no router. */
    @Test
    void versionIsAnsweredWithoutTheRouter() throws IOException {
        PluginRun run = Shim.run(Map.of("CNI_COMMAND", "VERSION"), "{\"cniVersion\":\"0.4.0\"}");
        assertThat(run.exitStatus()).isZero();
        assertThat(JSON.readTree(run.stdout()))
                .isEqualTo(
                        JSON.readTree(
                                "{\"cniVersion\":\"0.4.0\",\"supportedVersions\":[\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\",\"1.1.0\"]}"));
        PluginRun empty = Shim.run(Map.of("CNI_COMMAND", "VERSION"), "");
        assertThat(JSON.readTree(empty.stdout()).get("cniVersion").asText()).isEqualTo("1.1.0");
        PluginRun nested = Shim.run(
                Map.of("CNI_COMMAND", "VERSION"), "{\"x\":{\"cniVersion\":\"9.9.9\"},\"cniVersion\":\"1.0.0\"}");
        assertThat(JSON.readTree(nested.stdout()).get("cniVersion").asText()).isEqualTo("1.0.0");
    }

    @Test
    void addWithoutTheRouterIsTryAgainLater() throws IOException {
        JsonNode e = error(Shim.run(env("ADD"), CONF));
        assertThat(e.get("code").asInt()).isEqualTo(11);
        assertThat(e.get("cniVersion").asText()).isEqualTo("1.0.0");
        assertThat(e.get("msg").asText()).contains("weft router is not running").contains("absent.sock");
    }

    @Test
    void checkAndGcWithoutTheRouterFail() throws IOException {
        assertThat(error(Shim.run(env("CHECK"), CONF)).get("code").asInt()).isEqualTo(11);
        assertThat(error(Shim.run(env("GC"), CONF)).get("code").asInt()).isEqualTo(11);
    }

    /** P16: STATUS with the router down. */
    @Test
    void statusWithoutTheRouterIs50() throws IOException {
        Map<String, String> env = Map.of(
                "CNI_COMMAND",
                "STATUS",
                "WEFT_CNI_SOCKET",
                tmp.resolve("absent.sock").toString());
        assertThat(error(Shim.run(env, CONF)).get("code").asInt()).isEqualTo(50);
    }

    /** P11: DEL with the router down succeeds and is queued as a frame the router can read. */
    @Test
    void delWithoutTheRouterIsQueued() throws IOException {
        PluginRun run = Shim.run(env("DEL"), CONF);
        assertThat(run.exitStatus()).isZero();
        assertThat(run.stdout()).isEmpty();
        List<Path> queued = queued();
        assertThat(queued).hasSize(1);
        ShimRequest r;
        try (InputStream in = Files.newInputStream(queued.get(0))) {
            r = ShimCodec.readRequest(in);
        }
        assertThat(r.command()).isEqualTo("DEL");
        assertThat(r.containerId()).isEqualTo("c0ffee");
        assertThat(r.ifname()).isEqualTo("eth0");
        assertThat(new String(r.config(), StandardCharsets.UTF_8)).isEqualTo(CONF);
        // the same DEL again replaces its entry instead of growing the queue
        assertThat(Shim.run(env("DEL"), CONF).exitStatus()).isZero();
        assertThat(queued()).hasSize(1);
        assertThat(Files.getPosixFilePermissions(tmp.resolve("queue")).toString())
                .isEqualTo("[OWNER_READ, OWNER_WRITE, OWNER_EXECUTE]");
    }

    @Test
    void delWithoutContainerIdIsRefusedNotQueued() throws IOException {
        Map<String, String> env = env("DEL");
        env.remove("CNI_CONTAINERID");
        JsonNode e = error(Shim.run(env, CONF));
        assertThat(e.get("code").asInt()).isEqualTo(4);
        assertThat(e.get("msg").asText()).contains("CNI_CONTAINERID");
        assertThat(queued()).isEmpty();
    }

    @Test
    void aFullQueueFailsTheDel() throws IOException {
        Path q = Files.createDirectories(tmp.resolve("queue"));
        for (int i = 0; i < 4096; i++) {
            Files.createFile(q.resolve(i + ".del"));
        }
        JsonNode e = error(Shim.run(env("DEL"), CONF));
        assertThat(e.get("code").asInt()).isEqualTo(11);
        assertThat(e.get("msg").asText()).contains("is full");
    }

    @Test
    void missingOrUnknownCommandIsCode4() throws IOException {
        Map<String, String> none = env("ADD");
        none.remove("CNI_COMMAND");
        assertThat(error(Shim.run(none, CONF)).get("msg").asText()).contains("CNI_COMMAND is not set");
        JsonNode e = error(Shim.run(env("ATTACH"), CONF));
        assertThat(e.get("code").asInt()).isEqualTo(4);
        assertThat(e.get("msg").asText()).contains("CNI_COMMAND ATTACH");
    }

    @Test
    void oversizedStdinIsCode5() throws IOException {
        String big = "{\"cniVersion\":\"1.0.0\",\"pad\":\"" + "x".repeat(1024 * 1024) + "\"}";
        JsonNode e = error(Shim.run(env("ADD"), big));
        assertThat(e.get("code").asInt()).isEqualTo(5);
    }

    @Test
    void relaysRequestAndAnswerByteForByte() throws Exception {
        Path sock = tmp.resolve("r.sock");
        Map<String, String> env = env("ADD");
        env.put("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAME=web-0");
        env.put("WEFT_CNI_SOCKET", sock.toString());
        var seen = serveOnce(
                sock,
                req -> new ShimResponse(
                        3,
                        "{\"answer\":true}\n".getBytes(StandardCharsets.UTF_8),
                        "router log\n".getBytes(StandardCharsets.UTF_8)));
        PluginRun run = Shim.run(env, CONF);
        ShimRequest r = seen.get(10, TimeUnit.SECONDS);
        assertThat(r.ipamOnly()).isFalse();
        assertThat(r.command()).isEqualTo("ADD");
        assertThat(r.containerId()).isEqualTo("c0ffee");
        assertThat(r.netns()).isEqualTo("/run/netns/nowhere");
        assertThat(r.ifname()).isEqualTo("eth0");
        assertThat(r.args()).isEqualTo("IgnoreUnknown=1;K8S_POD_NAME=web-0");
        assertThat(r.path()).isEqualTo("/opt/cni/bin");
        assertThat(new String(r.config(), StandardCharsets.UTF_8)).isEqualTo(CONF);
        assertThat(run.exitStatus()).isEqualTo(3);
        assertThat(run.stdout()).isEqualTo("{\"answer\":true}\n");
        assertThat(run.stderr()).isEqualTo("router log\n");
    }

    @Test
    void invokedAsWeftIpamItSetsTheFlag() throws Exception {
        Path sock = tmp.resolve("i.sock");
        Map<String, String> env = env("ADD");
        env.put("WEFT_CNI_SOCKET", sock.toString());
        var seen = serveOnce(sock, req -> new ShimResponse(0, new byte[0], new byte[0]));
        assertThat(Shim.run(Shim.dir().resolve("weft-ipam"), env, CONF).exitStatus())
                .isZero();
        assertThat(seen.get(10, TimeUnit.SECONDS).ipamOnly()).isTrue();
    }

    @Test
    void anotherProtocolVersionIsReported() throws Exception {
        Path sock = tmp.resolve("v.sock");
        Map<String, String> env = env("ADD");
        env.put("WEFT_CNI_SOCKET", sock.toString());
        try (ServerSocketChannel server = listen(sock)) {
            Thread.ofVirtual().start(() -> {
                try (SocketChannel c = server.accept()) {
                    ShimCodec.readRequest(Channels.newInputStream(c));
                    c.write(java.nio.ByteBuffer.wrap(new byte[] {'W', 'C', 'N', 'R', 9, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
                } catch (IOException ignored) {
                    // the test asserts on the shim's side
                }
            });
            JsonNode e = error(Shim.run(env, CONF));
            assertThat(e.get("code").asInt()).isEqualTo(100);
            assertThat(e.get("msg").asText()).contains("version 9");
        }
    }

    @Test
    void aRouterThatDoesNotAnswerTimesOut() throws Exception {
        Path sock = tmp.resolve("t.sock");
        Map<String, String> env = env("ADD");
        env.put("WEFT_CNI_SOCKET", sock.toString());
        env.put("WEFT_CNI_TIMEOUT", "1");
        try (ServerSocketChannel server = listen(sock)) {
            CompletableFuture<SocketChannel> held = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    held.complete(server.accept()); // accept, never answer
                } catch (IOException e) {
                    held.completeExceptionally(e);
                }
            });
            JsonNode e = error(Shim.run(env, CONF));
            assertThat(e.get("code").asInt()).isEqualTo(11);
            assertThat(e.get("msg").asText()).contains("did not answer ADD within 1 s");
            held.get(5, TimeUnit.SECONDS).close();
        }
    }

    @Test
    void aDelTheRouterDroppedIsQueued() throws Exception {
        Path sock = tmp.resolve("d.sock");
        Map<String, String> env = env("DEL");
        env.put("WEFT_CNI_SOCKET", sock.toString());
        try (ServerSocketChannel server = listen(sock)) {
            Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 2; i++) { // the shim retries once under the queue lock
                    try (SocketChannel c = server.accept()) {
                        ShimCodec.readRequest(Channels.newInputStream(c)); // read, then hang up
                    } catch (IOException ignored) {
                        // keep going
                    }
                }
            });
            PluginRun run = Shim.run(env, CONF);
            assertThat(run.exitStatus()).isZero();
            assertThat(queued()).hasSize(1);
        }
    }

    /** A router that hangs up before reading a big request makes the DEL queue, not the shim die of SIGPIPE. */
    @Test
    void aRouterThatHangsUpMidRequestGetsTheDelQueued() throws Exception {
        Path sock = tmp.resolve("p.sock");
        Map<String, String> env = env("DEL");
        env.put("WEFT_CNI_SOCKET", sock.toString());
        String big = "{\"cniVersion\":\"1.0.0\",\"pad\":\"" + "x".repeat(900 * 1024) + "\"}";
        try (ServerSocketChannel server = listen(sock)) {
            Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 2; i++) {
                    try {
                        server.accept().close(); // hang up without reading
                    } catch (IOException ignored) {
                        // keep going
                    }
                }
            });
            PluginRun run = Shim.run(env, big);
            assertThat(run.exitStatus()).as(run.stdout() + run.stderr()).isZero();
            assertThat(queued()).hasSize(1);
        }
    }

    private List<Path> queued() throws IOException {
        Path q = tmp.resolve("queue");
        if (!Files.isDirectory(q)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(q)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".del")).toList();
        }
    }

    private static ServerSocketChannel listen(Path sock) throws IOException {
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        s.bind(UnixDomainSocketAddress.of(sock));
        return s;
    }

    private static CompletableFuture<ShimRequest> serveOnce(Path sock, Function<ShimRequest, ShimResponse> answer)
            throws IOException {
        ServerSocketChannel server = listen(sock);
        CompletableFuture<ShimRequest> seen = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (server;
                    SocketChannel c = server.accept()) {
                ShimRequest r = ShimCodec.readRequest(Channels.newInputStream(c));
                seen.complete(r);
                ShimCodec.writeResponse(Channels.newOutputStream(c), answer.apply(r));
            } catch (IOException e) {
                seen.completeExceptionally(e);
            }
        });
        return seen;
    }
}
