package dev.weft.router.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.linux.api.NetNs;
import dev.weft.sleeve.kernel.Sh;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IPAM through real {@code weft launch} processes: two routers, each in its own network namespace
 * (joined by a veth pair), seeding by consensus of the two, with their stores on disk. Containers
 * are allocated over each router's HTTP API (127.0.0.1:6784 inside its namespace) concurrently on
 * both: every address is handed out once, each lies in space its router owns in the ring both
 * routers agree on, lookups and idempotent re-allocations return it, and a restarted router (same
 * data directory) still has every one of its allocations.
 */
class LaunchedRoutersIpamTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int PER_ROUTER = 40;

    @TempDir
    Path dir;

    final String prefix = "wi" + HexFormat.of().formatHex(new SecureRandom().generateSeed(2)) + "-";
    final List<String> namespaces = new ArrayList<>();
    final List<Node> nodes = new ArrayList<>();

    /** One router: its namespace, name, underlay address, data directory and process. */
    static final class Node {
        final String name;
        final NetNs ns;
        final String ip;
        final Path data;
        final Path log;
        Process process;

        Node(String name, NetNs ns, String ip, Path data, Path log) {
            this.name = name;
            this.ns = ns;
            this.ip = ip;
            this.data = data;
            this.log = log;
        }
    }

    record Reply(int status, String body) {}

    @BeforeEach
    void namespaces() throws IOException {
        assumeTrue(
                ProcessHandle.current().info().user().orElse("").equals("root"),
                "needs root: the routers run in their own network namespaces");
        for (int i = 0; i < 2; i++) {
            String nsName = prefix + "n" + i;
            namespaces.add(nsName);
            NetNs ns = NetNs.create(nsName);
            Sh.ns(nsName, "ip", "link", "set", "lo", "up");
            Path data = Files.createDirectories(dir.resolve("n" + i));
            nodes.add(new Node(
                    String.format("02:1e:00:00:00:%02x", i + 1),
                    ns,
                    "10.251.0." + (i + 1),
                    data,
                    dir.resolve("n" + i + ".log")));
        }
        Sh.ok(
                "ip",
                "link",
                "add",
                "eth0",
                "netns",
                namespaces.get(0),
                "type",
                "veth",
                "peer",
                "name",
                "eth0",
                "netns",
                namespaces.get(1));
        for (Node n : nodes) {
            Sh.ns(n.ns.name(), "ip", "addr", "add", n.ip + "/24", "dev", "eth0");
            Sh.ns(n.ns.name(), "ip", "link", "set", "eth0", "up");
        }
    }

    @AfterEach
    void cleanUp() {
        for (Node n : nodes) {
            stop(n);
            n.ns.close();
        }
        for (String ns : namespaces) {
            NetNs.delete(ns);
        }
    }

    @Test
    void allocationsOnTwoLaunchedRoutersAgreeAndNeverCollide() throws Exception {
        Node a = nodes.get(0);
        Node b = nodes.get(1);
        launch(a, List.of());
        launch(b, List.of(a.ip));
        awaitApi(a);
        awaitApi(b);

        // Both routers allocate at once; each waits for the two-peer consensus first.
        Map<String, String> fromA = new HashMap<>();
        Map<String, String> fromB = new HashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String[]>> jobs = new ArrayList<>();
            for (int i = 0; i < PER_ROUTER; i++) {
                for (Node n : nodes) {
                    String id = "c-" + n.name.substring(15) + "-" + i;
                    jobs.add(pool.submit(() -> new String[] {id, allocate(n, id)}));
                }
            }
            for (Future<String[]> f : jobs) {
                String[] r = f.get(120, TimeUnit.SECONDS);
                (r[0].startsWith("c-01") ? fromA : fromB).put(r[0], r[1]);
            }
        } finally {
            pool.shutdownNow();
        }
        Set<String> all = new HashSet<>(fromA.values());
        all.addAll(fromB.values());
        assertThat(all).as("every address handed out once").hasSize(2 * PER_ROUTER);

        // Same answer again (idempotent by container id), and from lookups.
        for (Map.Entry<String, String> e : fromA.entrySet()) {
            assertThat(call(a, "POST", "/ip/" + e.getKey())).isEqualTo(new Reply(200, e.getValue()));
            assertThat(call(a, "GET", "/ip/" + e.getKey())).isEqualTo(new Reply(200, e.getValue()));
        }
        for (Map.Entry<String, String> e : fromB.entrySet()) {
            assertThat(call(b, "GET", "/ip/" + e.getKey())).isEqualTo(new Reply(200, e.getValue()));
        }

        // The two rings converge, and every address lies in space owned by the router that gave it.
        JsonNode ring = awaitSameRing(a, b);
        for (String addr : fromA.values()) {
            assertThat(owner(ring, addr)).as(addr).isEqualTo(a.name);
        }
        for (String addr : fromB.values()) {
            assertThat(owner(ring, addr)).as(addr).isEqualTo(b.name);
        }

        // A restarted router (same data directory) still has every one of its allocations.
        stop(a);
        launch(a, List.of(b.ip));
        awaitApi(a);
        for (Map.Entry<String, String> e : fromA.entrySet()) {
            assertThat(call(a, "GET", "/ip/" + e.getKey())).isEqualTo(new Reply(200, e.getValue()));
        }
        String fresh = allocate(a, "after-restart");
        assertThat(all).as("a new allocation after the restart is new").doesNotContain(fresh);
        assertThat(call(b, "DELETE", "/ip/" + fromB.keySet().iterator().next()).status())
                .isEqualTo(200);
    }

    private String allocate(Node n, String id) {
        Reply r = call(n, "POST", "/ip/" + id + "?timeout=90s");
        assertThat(r.status())
                .as("POST /ip/" + id + " on " + n.name + ": " + r.body())
                .isEqualTo(200);
        return r.body();
    }

    private static String owner(JsonNode ring, String cidr) {
        long a = parse(cidr.substring(0, cidr.indexOf('/')));
        for (JsonNode r : ring.get("ranges")) {
            if (parse(r.get("start").asText()) <= a && a <= parse(r.get("end").asText())) {
                return r.get("owner").asText();
            }
        }
        return null;
    }

    private static long parse(String ip) {
        long v = 0;
        for (String part : ip.split("\\.")) {
            v = v << 8 | Long.parseLong(part);
        }
        return v;
    }

    /** Polls both rings until they name the same owners for the same ranges. */
    private JsonNode awaitSameRing(Node a, Node b) throws Exception {
        Instant until = Instant.now().plus(Duration.ofSeconds(60));
        String ra = "";
        String rb = "";
        while (Instant.now().isBefore(until)) {
            ra = ownership(call(a, "GET", "/ring?format=json").body());
            rb = ownership(call(b, "GET", "/ring?format=json").body());
            if (ra.equals(rb)) {
                return JSON.readTree(call(a, "GET", "/ring?format=json").body());
            }
            Thread.sleep(200);
        }
        assertThat(ra).as("the rings of both routers").isEqualTo(rb);
        return null;
    }

    /** The ring's ranges and owners (free counts aside: they are advisory and may lag). */
    private static String ownership(String ringJson) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (JsonNode r : JSON.readTree(ringJson).get("ranges")) {
            sb.append(r.get("start").asText())
                    .append('-')
                    .append(r.get("end").asText())
                    .append('=')
                    .append(r.get("owner").asText())
                    .append(' ');
        }
        return sb.toString();
    }

    private void launch(Node n, List<String> peers) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", n.ns.name()));
        cmd.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow",
                "-XX:+UseSerialGC",
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.weft.router.cli.WeftCli",
                "launch",
                "--name",
                n.name,
                "--nickname",
                "r" + n.name.substring(15),
                "--data-dir",
                n.data.toString(),
                "--ipalloc-init",
                "consensus=2",
                "--no-cni"));
        cmd.addAll(peers);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(n.log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("WEFT_"));
        n.process = pb.start();
    }

    private static void stop(Node n) {
        Process p = n.process;
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy(); // SIGTERM: the router closes its store and removes its devices
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitApi(Node n) throws Exception {
        Instant until = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(until)) {
            assertThat(n.process.isAlive())
                    .as("router " + n.name + " runs; its log:\n" + log(n))
                    .isTrue();
            try {
                if (call(n, "GET", "/ipinfo/range").status() == 200) {
                    return;
                }
            } catch (UncheckedIOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("router " + n.name + " did not serve its API within 90 s; its log:\n" + log(n));
    }

    private static String log(Node n) {
        try {
            List<String> lines = Files.readAllLines(n.log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /**
     * One HTTP/1.1 request to 127.0.0.1:6784 inside the node's namespace: the socket is made and
     * connected on the namespace's thread (a socket belongs to the namespace it is created in), the
     * exchange runs on the caller's, so requests to one router run concurrently.
     */
    private static Reply call(Node n, String method, String path) {
        SocketChannel ch = n.ns.call(() -> {
            SocketChannel c = SocketChannel.open();
            try {
                c.socket().connect(new InetSocketAddress("127.0.0.1", 6784), 5_000);
                return c;
            } catch (IOException e) {
                c.close();
                throw new UncheckedIOException(e);
            }
        });
        try (Socket s = ch.socket()) {
            s.setSoTimeout(120_000);
            OutputStream out = s.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n"
                            + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            String raw = buf.toString(StandardCharsets.UTF_8);
            int end = raw.indexOf("\r\n\r\n");
            if (!raw.startsWith("HTTP/1.1 ") || end < 0) {
                throw new IOException("not an HTTP answer: " + raw);
            }
            return new Reply(
                    Integer.parseInt(raw.substring(9, 12)),
                    raw.substring(end + 4).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
