package dev.weft.faults.runtime.router;

import dev.weft.faults.runtime.cluster.ClusterSpec;
import dev.weft.faults.runtime.cluster.ExecResult;
import dev.weft.faults.runtime.cluster.Node;
import dev.weft.faults.runtime.cluster.NodeProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real Weft router on one node: started with the checkout's own launcher ({@code
 * /opt/weft/weft launch ...}, jars and JDK bind-mounted read-only), killed, stopped, continued and
 * restarted by the nemesis, and spoken to through its HTTP API and its command line from inside
 * the node, as an operator or kubelet on that host would.
 *
 * <p>Thread-safety: all methods may be called concurrently; each runs commands in the node.
 */
public final class Router {

    private final Node node;
    private final RouterOptions options;
    private final List<String> peers;
    private final NodeProcess process;
    private final Map<String, String> env;
    private volatile String keptLog;

    /**
     * @param node the node it runs on
     * @param options how to launch it
     * @param peers the addresses of the other nodes, given to {@code weft launch}
     * @param jdkHome the JDK's path inside the node
     */
    public Router(Node node, RouterOptions options, List<String> peers, String jdkHome) {
        this.node = node;
        this.options = options;
        this.peers = List.copyOf(peers);
        this.process = new NodeProcess(node, "router");
        // C1 only: five routers start at once on a small machine; the C2 compiler's warm-up costs
        // them CPU they need to answer their peers in time, and the scenarios do not measure speed.
        this.env = Map.of(
                "WEFT_NO_BUILD", "1", "JAVA_HOME", jdkHome, "WEFT_JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1");
    }

    public Node node() {
        return node;
    }

    public NodeProcess process() {
        return process;
    }

    /** Starts the router (its state directory persists across restarts in the node). */
    public void start() {
        List<String> argv = new ArrayList<>();
        argv.add(ClusterSpec.WEFT_MOUNT + "/weft");
        argv.addAll(options.launchArgs(peers));
        process.start(env, argv);
    }

    /**
     * Waits until the router serves, up to {@code max}: its HTTP API answers (any status on {@code
     * /status}); with IPAM, {@code /status/ipam} answers 200 (the IPAM endpoints exist only then);
     * with CNI, its socket exists and it wrote its configuration list (it writes it once serving).
     *
     * @throws IllegalStateException with the router's log tail when it does not
     */
    public void awaitApi(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            if (serving()) {
                return;
            }
            if (!process.running()) {
                throw new IllegalStateException(node.name() + ": the router exited:\n" + process.logTail(40));
            }
            pause(Duration.ofMillis(300));
        }
        throw new IllegalStateException(node.name() + ": the router did not serve within " + max.toSeconds() + " s ("
                + (options.cni() ? "API, IPAM and CNI" : options.ipam() ? "API and IPAM" : "API") + "):\n"
                + process.logTail(40));
    }

    private boolean serving() {
        if (!options.ipam()) {
            return http("GET", "/status", Duration.ofSeconds(5)).transport() == HttpReply.Transport.OK;
        }
        if (!http("GET", "/status/ipam", Duration.ofSeconds(5)).success()) {
            return false;
        }
        return !options.cni()
                || node.sh(
                                Duration.ofSeconds(10),
                                "test -S " + RouterOptions.CNI_SOCKET + " && test -s " + RouterOptions.CNI_CONFLIST)
                        .ok();
    }

    /**
     * One HTTP request to the router's API from inside the node. Never throws for transport
     * problems: the reply says what happened.
     */
    public HttpReply http(String method, String path, Duration timeout) {
        return http(method, path, timeout, false);
    }

    /** As {@link #http(String, String, Duration)}, asking for JSON ({@code Accept: application/json}). */
    public HttpReply httpJson(String method, String path, Duration timeout) {
        return http(method, path, timeout, true);
    }

    private HttpReply http(String method, String path, Duration timeout, boolean json) {
        List<String> argv = new ArrayList<>(List.of(
                "curl",
                "-sS",
                "--max-time",
                Long.toString(Math.max(1, timeout.toSeconds())),
                "-X",
                method,
                "-w",
                "\n%{http_code}"));
        if (json) {
            argv.addAll(List.of("-H", "Accept: application/json"));
        }
        argv.add(RouterOptions.API + path);
        ExecResult r = node.exec(timeout.plusSeconds(10), argv.toArray(String[]::new));
        return parse(r);
    }

    static HttpReply parse(ExecResult r) {
        if (r.timedOut()) {
            return new HttpReply(0, "", HttpReply.Transport.TIMEOUT, "docker exec timed out");
        }
        return switch (r.exitCode()) {
            case 0 -> {
                String out = r.stdout();
                int nl = out.lastIndexOf('\n');
                String code = out.substring(nl + 1).strip();
                String body = nl < 0 ? "" : out.substring(0, nl);
                int status;
                try {
                    status = Integer.parseInt(code);
                } catch (NumberFormatException e) {
                    status = 0;
                }
                yield status == 0
                        ? new HttpReply(0, body, HttpReply.Transport.BROKEN, "no status line")
                        : new HttpReply(status, body, HttpReply.Transport.OK, "");
            }
            case 7 -> new HttpReply(0, "", HttpReply.Transport.REFUSED, r.stderr());
            case 28 -> new HttpReply(0, "", HttpReply.Transport.TIMEOUT, r.stderr());
            default -> new HttpReply(0, "", HttpReply.Transport.BROKEN, "curl exit " + r.exitCode() + " " + r.stderr());
        };
    }

    /** Runs {@code weft ARGS} in the node (a JVM start: about a second or more). */
    public ExecResult cli(Duration timeout, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(ClusterSpec.WEFT_MOUNT + "/weft");
        argv.addAll(List.of(args));
        return node.exec(timeout, env, argv.toArray(String[]::new));
    }

    /**
     * The router's whole log: the copy {@link #keepLog()} took if the node is gone, else read from
     * the node.
     */
    public String log() {
        String kept = keptLog;
        return kept != null
                ? kept
                : node.exec(Duration.ofSeconds(20), "cat", process.logFile()).stdout();
    }

    /** Copies the log out of the node, before the node is destroyed. */
    public void keepLog() {
        keptLog = node.exec(Duration.ofSeconds(20), "cat", process.logFile()).stdout();
    }

    /** The router's log tail, for failure messages. */
    public String logTail(int lines) {
        return process.logTail(lines);
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
