package dev.weft.router.demo.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.linux.api.IpPrefix;
import dev.weft.linux.api.LinkSpec;
import dev.weft.linux.api.NetNs;
import dev.weft.linux.api.RtNetlink;
import dev.weft.router.demo.DemoOptions;
import dev.weft.router.demo.DemoReport;
import dev.weft.router.demo.DemoSummary;
import dev.weft.router.demo.PingOutput;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code weft demo}: a mesh on this machine, for real. An underlay network namespace with a
 * bridge, one namespace per node joined to it by a veth pair, one {@code weft launch} process per
 * node inside its namespace, pods (namespaces) attached with the routers' attach API, then a ping
 * between every ordered pair of pods and a summary. Everything is named with a per-run prefix
 * ({@code wd<4 hex>-}) and removed at the end, also on Ctrl-C (a shutdown hook); only the
 * processes this run started are stopped. Blocking; one run per instance.
 */
public final class Demo {

    /** How long the warm-up echo of a pod pair waits for its first reply. */
    private static final Duration WARM_UP = Duration.ofSeconds(10);

    static final String MAIN_CLASS = "dev.weft.router.cli.WeftCli";
    static final int API_PORT = 6784;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DemoOptions options;
    private final PrintStream out;
    private final String prefix;
    private final List<NetNs> handles = new ArrayList<>();
    private final List<String> namespaces = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private final List<DemoReport.Pod> pods = new ArrayList<>();
    private Path dir;
    private Thread hook;
    private boolean cleaned;
    private boolean failed;

    private static final class Node {
        final int index;
        final String name;
        final String nickname;
        final NetNs ns;
        final String underlayIp;
        final NodeApi api;
        Process process;
        Path log;

        Node(int index, String name, String nickname, NetNs ns, String underlayIp) {
            this.index = index;
            this.name = name;
            this.nickname = nickname;
            this.ns = ns;
            this.underlayIp = underlayIp;
            this.api = new NodeApi(ns, new InetSocketAddress("127.0.0.1", API_PORT));
        }
    }

    /** Thrown when the demo cannot go on; the message is for the user. */
    public static final class DemoException extends Exception {
        private static final long serialVersionUID = 1L;

        DemoException(String message) {
            super(message);
        }
    }

    public Demo(DemoOptions options, PrintStream out) {
        this(options, out, randomPrefix());
    }

    /** With a given namespace prefix (tests, so their cleanup check knows it). */
    public Demo(DemoOptions options, PrintStream out, String prefix) {
        this.options = options;
        this.out = out;
        this.prefix = prefix;
    }

    static String randomPrefix() {
        byte[] r = new byte[2];
        RANDOM.nextBytes(r);
        return "wd" + HexFormat.of().formatHex(r) + "-";
    }

    /** Where the routers' logs are (null before {@link #run()}); deleted by a successful cleanup. */
    public Path logDir() {
        return dir;
    }

    public String prefix() {
        return prefix;
    }

    /** Node {@code i}'s API (tests, with {@code keep}). */
    NodeApi api(int i) {
        return nodes.get(i).api;
    }

    /** The router processes this run started (tests). */
    List<Process> routers() {
        return nodes.stream().map(n -> n.process).toList();
    }

    /**
     * Builds the mesh, pings every pair, prints the summary and cleans up (unless {@code keep}).
     *
     * @return the report (its {@link DemoReport#unreachable()} decides the exit code)
     * @throws DemoException if the mesh could not be built (the message says what failed and where
     *     the routers' logs are)
     */
    public DemoReport run() throws DemoException, InterruptedException {
        hook = new Thread(this::cleanup, "weft-demo-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            checkMachine();
            dir = Files.createTempDirectory("weft-demo-" + prefix);
            long t0 = System.nanoTime();
            step("building %d node namespaces on an underlay bridge (prefix %s)", options.nodes(), prefix);
            buildUnderlay();
            step("launching %d routers (weft launch in each node's namespace; logs in %s)", options.nodes(), dir);
            for (Node n : nodes) {
                launch(n);
            }
            long deadline = System.nanoTime() + options.timeout().toNanos();
            for (Node n : nodes) {
                awaitApi(n, deadline);
            }
            step(
                    "routers up after %.1f s; waiting for the mesh (%d connections, each established both ways)",
                    seconds(t0), options.nodes() * (options.nodes() - 1) / 2);
            awaitMesh(System.nanoTime() + options.timeout().toNanos());
            step("mesh established after %.1f s; attaching %d pods per node", seconds(t0), options.podsPerNode());
            attachPods(System.nanoTime() + options.timeout().toNanos());
            int pairs = pods.size() * (pods.size() - 1);
            step(
                    "pinging every pod pair (%d pairs: one warm-up echo, then %d measured echo requests each)",
                    pairs, options.pings());
            // The first packet of a pair waits for ARP through the overlay, and a pod attached a moment
            // ago can miss it: one echo per pair with a deadline first, so the matrix measures the path.
            pingAll(true);
            List<DemoReport.Ping> pings = pingAll(false);
            DemoReport report = new DemoReport(prefix, options.password().isPresent(), nodeReports(), pods, pings);
            failed = report.unreachable() > 0;
            out.println();
            out.print(DemoSummary.render(report));
            if (options.keep()) {
                keepMessage();
            }
            return report;
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw new DemoException(e.getMessage() == null ? e.toString() : e.getMessage());
        } catch (DemoException e) {
            failed = true;
            throw e;
        } finally {
            if (!options.keep() || failed) {
                cleanup();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down: the hook runs (or ran) the cleanup
            }
        }
    }

    private void step(String format, Object... args) {
        out.printf(Locale.ROOT, "weft demo: " + format + "%n", args);
        out.flush();
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void checkMachine() throws DemoException, IOException {
        String status = Files.readString(Path.of("/proc/self/status"));
        if (!status.contains("\nUid:\t0\t")) {
            throw new DemoException("the demo needs root (network namespaces, bridges, TAP devices): run it with sudo");
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            throw new DemoException("/dev/net/tun is missing: sleeve needs TUN/TAP (modprobe tun)");
        }
        for (String tool : List.of("ip", "ping")) {
            if (which(tool) == null) {
                throw new DemoException(
                        "`" + tool + "` is not installed (scripts/deps installs iproute2 and iputils-ping)");
            }
        }
    }

    private static Path which(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String d : path.split(":")) {
            Path p = Path.of(d.isEmpty() ? "." : d, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private NetNs namespace(String suffix) {
        String name = prefix + suffix;
        namespaces.add(name);
        NetNs ns = NetNs.create(name);
        handles.add(ns);
        return ns;
    }

    private void buildUnderlay() {
        NetNs ul = namespace("ul");
        try (RtNetlink nl = RtNetlink.open(ul)) {
            nl.links().create(LinkSpec.bridge("ul"));
            nl.links().setUp("ul");
            nl.links().setUp("lo");
            for (int i = 0; i < options.nodes(); i++) {
                NetNs ns = namespace("n" + i);
                String ip = "10.250.0." + (i + 1);
                nl.links().create(LinkSpec.veth("ul" + i, "eth0").peerNetNs(ns));
                nl.links().setMaster("ul" + i, "ul");
                nl.links().setUp("ul" + i);
                try (RtNetlink nn = RtNetlink.open(ns)) {
                    nn.addresses().add(nn.links().get("eth0").index(), IpPrefix.parse(ip + "/24"));
                    nn.links().setUp("eth0");
                    nn.links().setUp("lo");
                }
                String name = String.format(Locale.ROOT, "02:de:00:00:00:%02x", i + 1);
                nodes.add(new Node(i, name, "node" + i, ns, ip));
            }
        }
    }

    private void launch(Node n) throws IOException {
        Path data = Files.createDirectories(dir.resolve("n" + n.index));
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", n.ns.name()));
        cmd.addAll(javaCommand());
        cmd.addAll(List.of(
                "launch",
                "--name",
                n.name,
                "--nickname",
                n.nickname,
                "--data-dir",
                data.toString(),
                "--ipalloc-init",
                "seed=" + String.join(",", nodes.stream().map(x -> x.name).toList()),
                "--cni-socket",
                data.resolve("cni.sock").toString(),
                "--cni-del-queue",
                data.resolve("cni-del-queue").toString(),
                "--cni-conf-dir",
                "",
                "--cni-bin-dir",
                "",
                // The demo's pods talk to each other only: no masquerade, so no need for nft.
                "--no-masquerade"));
        if (options.password().isPresent()) {
            Path pw = data.resolve("password");
            Files.writeString(pw, options.password().get(), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
            cmd.addAll(List.of("--password-file", pw.toString()));
        }
        for (Node other : nodes) {
            if (other != n) {
                cmd.add(other.underlayIp);
            }
        }
        n.log = dir.resolve("node" + n.index + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(n.log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        // the routers' settings come from the flags only
        pb.environment().keySet().removeIf(k -> k.startsWith("WEFT_") && !k.equals("WEFT_JAVA_OPTS"));
        n.process = pb.start();
    }

    /** The JVM and its options for a router: this JVM's, as the launcher starts them. */
    private static List<String> javaCommand() {
        List<String> c = new ArrayList<>();
        c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        c.addAll(List.of(
                "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow",
                "-XX:+UseSerialGC",
                "-Xshare:auto",
                "-Xms16m",
                "-Xmx256m"));
        String home = System.getProperty("weft.home");
        if (home != null) {
            c.add("-Dweft.home=" + home);
        }
        String extra = System.getenv("WEFT_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            c.addAll(List.of(extra.strip().split("\\s+")));
        }
        c.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN_CLASS));
        return c;
    }

    private void checkAlive(Node n) throws DemoException {
        if (!n.process.isAlive()) {
            throw new DemoException("the router of " + n.nickname + " exited with " + n.process.exitValue()
                    + "; its log " + n.log + " ends:\n" + tail(n.log));
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(cannot read it: " + e.getMessage() + ")";
        }
    }

    private static void pause() throws InterruptedException {
        Thread.sleep(200);
    }

    private void awaitApi(Node n, long deadline) throws DemoException, InterruptedException {
        while (true) {
            checkAlive(n);
            String why;
            try {
                // components register their endpoints as they start; the data plane's comes after
                // the mesh's and IPAM's
                NodeApi.Reply r = n.api.send("GET", "/status/dataplane", Duration.ofSeconds(5));
                if (r.status() == 200) {
                    return;
                }
                why = "GET /status/dataplane answered " + r.status();
            } catch (IOException e) {
                why = e.getMessage();
            }
            if (System.nanoTime() > deadline) {
                throw new DemoException("the router of " + n.nickname + " was not up within "
                        + options.timeout().toSeconds() + " s (" + why + "); log " + n.log + ":\n" + tail(n.log));
            }
            pause();
        }
    }

    private JsonNode json(Node n, String path) throws IOException {
        NodeApi.Reply r =
                n.api.send("GET", path + (path.contains("?") ? "&" : "?") + "format=json", Duration.ofSeconds(10));
        if (r.status() != 200) {
            throw new IOException(n.nickname + ": GET " + path + " answered " + r.status() + ": "
                    + r.body().strip());
        }
        return JSON.readTree(r.body());
    }

    private int established(Node n) throws IOException {
        int count = 0;
        for (JsonNode c : json(n, "/status/connections")) {
            if ("established".equals(c.path("state").asText())) {
                count++;
            }
        }
        return count;
    }

    private void awaitMesh(long deadline) throws DemoException, InterruptedException, IOException {
        int want = options.nodes() - 1;
        while (true) {
            boolean all = true;
            StringBuilder state = new StringBuilder();
            for (Node n : nodes) {
                checkAlive(n);
                int e = established(n);
                all &= e >= want;
                state.append(n.nickname)
                        .append(": ")
                        .append(e)
                        .append('/')
                        .append(want)
                        .append("; ");
            }
            if (all) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new DemoException("the mesh was not established within "
                        + options.timeout().toSeconds() + " s (established connections " + state + "logs in " + dir
                        + ")");
            }
            pause();
        }
    }

    private void attachPods(long deadline) throws DemoException, InterruptedException, IOException {
        for (Node n : nodes) {
            for (int p = 0; p < options.podsPerNode(); p++) {
                String name = prefix + "n" + n.index + "p" + p;
                namespaces.add(name);
                NetNs.create(name).close();
                String q = "/attach?netns=" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "&format=json";
                while (true) {
                    checkAlive(n);
                    NodeApi.Reply r = n.api.send("POST", q, Duration.ofSeconds(60));
                    if (r.status() == 200) {
                        pods.add(new DemoReport.Pod(
                                name,
                                n.index,
                                JSON.readTree(r.body()).path("address").asText()));
                        break;
                    }
                    if (r.status() != 503 || System.nanoTime() > deadline) {
                        throw new DemoException("attaching " + name + " to " + n.nickname + " failed (HTTP "
                                + r.status() + "): " + r.body().strip());
                    }
                    pause(); // IPAM not ready yet
                }
            }
        }
    }

    /**
     * Pings every ordered pod pair, four at a time.
     *
     * @param warmUp one echo per pair, waiting up to {@link #WARM_UP} for its reply (ARP resolution)
     *     instead of the measured {@code options.pings()} echoes
     */
    private List<DemoReport.Ping> pingAll(boolean warmUp) throws InterruptedException, DemoException {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<DemoReport.Ping>> fs = new ArrayList<>();
            for (int i = 0; i < pods.size(); i++) {
                for (int j = 0; j < pods.size(); j++) {
                    if (i != j) {
                        int from = i;
                        int to = j;
                        fs.add(pool.submit(() -> ping(from, to, warmUp)));
                    }
                }
            }
            List<DemoReport.Ping> out = new ArrayList<>();
            for (Future<DemoReport.Ping> f : fs) {
                try {
                    out.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new DemoException("ping failed to run: " + e.getCause());
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private DemoReport.Ping ping(int from, int to, boolean warmUp) throws IOException, InterruptedException {
        List<String> command =
                new ArrayList<>(List.of("ip", "netns", "exec", pods.get(from).netns(), "ping", "-q", "-n"));
        if (warmUp) {
            // -c 1 -w N: send once a second until the first reply, for at most N seconds
            command.addAll(List.of("-c", "1", "-w", Long.toString(WARM_UP.toSeconds())));
        } else {
            command.addAll(List.of("-c", Integer.toString(options.pings()), "-i", "0.2", "-W", "2"));
        }
        command.add(pods.get(to).ip());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        PingOutput.Result r = PingOutput.parse(output);
        return new DemoReport.Ping(from, to, r.sent(), r.received(), r.avgMs());
    }

    private List<DemoReport.Node> nodeReports() throws IOException {
        Map<String, String> nick = new java.util.HashMap<>();
        for (Node n : nodes) {
            nick.put(n.name, n.nickname);
        }
        List<DemoReport.Node> out = new ArrayList<>();
        for (Node n : nodes) {
            Map<String, String> state = new java.util.HashMap<>();
            for (JsonNode c : json(n, "/status/connections")) {
                state.put(c.path("peer").asText(), c.path("state").asText());
            }
            List<DemoReport.Connection> conns = new ArrayList<>();
            for (JsonNode c : json(n, "/status/dataplane").path("connections")) {
                String peer = c.path("peer").asText();
                StringBuilder details = new StringBuilder();
                c.fields().forEachRemaining(e -> {
                    String k = e.getKey();
                    if (!k.equals("peer") && !k.equals("overlay") && !k.equals("why") && !k.equals("state")) {
                        details.append(details.isEmpty() ? "" : " ")
                                .append(k)
                                .append('=')
                                .append(e.getValue().asText());
                    }
                });
                conns.add(new DemoReport.Connection(
                        nick.getOrDefault(peer, peer),
                        state.getOrDefault(peer, "?"),
                        c.path("overlay").asText(),
                        c.path("why").asText(),
                        details.toString()));
            }
            out.add(new DemoReport.Node(n.name, n.nickname, n.ns.name(), n.underlayIp, n.process.pid(), conns));
        }
        return out;
    }

    private void keepMessage() {
        StringBuilder pids = new StringBuilder();
        for (Node n : nodes) {
            pids.append(' ').append(n.process.pid());
        }
        out.println();
        out.println("Kept running (--keep). Look around, e.g.:");
        out.println("  ip netns exec " + prefix + "n0 ./weft status connections");
        out.println("  ip netns exec " + pods.getFirst().netns() + " ping "
                + pods.getLast().ip());
        out.println("Routers' logs: " + dir);
        out.println("Clean up:");
        out.println("  kill" + pids + "; for ns in " + String.join(" ", namespaces)
                + "; do ip netns del $ns; done; rm -r " + dir);
    }

    /** Stops the routers this run started and deletes its namespaces and files. Idempotent. */
    public synchronized void cleanup() {
        if (cleaned) {
            return;
        }
        cleaned = true;
        for (Node n : nodes) {
            if (n.process != null) {
                n.process.destroy(); // SIGTERM to the weft launch process: it removes its devices
            }
        }
        for (Node n : nodes) {
            if (n.process != null) {
                try {
                    if (!n.process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                        n.process.destroyForcibly();
                        n.process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    n.process.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        }
        for (NetNs h : handles) {
            try {
                h.close();
            } catch (RuntimeException e) {
                // keep cleaning
            }
        }
        for (String ns : namespaces.reversed()) {
            try {
                NetNs.delete(ns);
            } catch (RuntimeException e) {
                out.println("weft demo: could not delete namespace " + ns + ": " + e.getMessage());
            }
        }
        if (dir != null) {
            if (failed) {
                out.println("weft demo: the routers' logs stay in " + dir);
            } else {
                deleteTree(dir);
            }
        }
    }

    private static void deleteTree(Path root) {
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover temp directory is harmless
        }
    }
}
