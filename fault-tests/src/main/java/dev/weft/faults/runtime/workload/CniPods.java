package dev.weft.faults.runtime.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.faults.runtime.cluster.ExecResult;
import dev.weft.faults.runtime.cluster.Node;
import dev.weft.faults.runtime.router.RouterOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pods the way kubelet makes them on a node: a network namespace, then the Weft CNI plugin the
 * router installed ({@code /opt/cni/bin/weft}) executed with the CNI environment and, on stdin,
 * the network configuration of the first plugin of the list the router wrote ({@code
 * /etc/cni/net.d/10-weft.conflist}, with the list's {@code name} and {@code cniVersion}, as
 * libcni passes it). DEL the same way, then the namespace removed. Chained plugins (portmap) are
 * not run: the node image has none and no pod asks for ports. The router does the plumbing and
 * the address allocation.
 *
 * <p>Thread-safe; every method runs commands in the node and blocks.
 */
public final class CniPods {

    /** Where the router installs its plugins inside every node ({@code weft launch --cni-bin-dir}). */
    public static final String BIN_DIR = "/opt/cni/bin";

    /** The plugin inside every node. */
    public static final String PLUGIN = BIN_DIR + "/weft";

    /** The configuration list the router writes once it serves CNI ({@code --cni-conf-dir}). */
    public static final String CONFLIST = RouterOptions.CNI_CONFLIST;

    /** The router's CNI socket inside a node; present once the router serves CNI. */
    public static final String SOCKET = RouterOptions.CNI_SOCKET;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The plugin configuration per node (container id): the router writes the same list every start. */
    private static final Map<String, String> CONFIGS = new ConcurrentHashMap<>();

    private CniPods() {}

    /** The outcome of one CNI command. */
    public record Outcome(boolean ok, boolean timedOut, String address, String error) {}

    /**
     * True when the router on {@code node} serves CNI: its socket exists, it installed the plugin
     * and wrote its configuration list.
     */
    public static boolean available(Node node) {
        return node.sh(
                        Duration.ofSeconds(10),
                        "test -S " + SOCKET + " && test -x " + PLUGIN + " && test -s " + CONFLIST)
                .ok();
    }

    /**
     * The configuration the runtime passes to the first plugin of the node's list: that plugin's
     * object with the list's {@code name} and {@code cniVersion}.
     *
     * @throws IllegalStateException when the node has no readable list
     */
    static String pluginConfig(Node node) {
        return CONFIGS.computeIfAbsent(node.containerId(), k -> {
            ExecResult r = node.exec(Duration.ofSeconds(10), "cat", CONFLIST);
            if (!r.ok()) {
                throw new IllegalStateException(node.name() + ": cannot read " + CONFLIST + ": " + r.stderr());
            }
            try {
                JsonNode list = JSON.readTree(r.stdout());
                JsonNode first = list.path("plugins").path(0);
                if (!first.isObject()) {
                    throw new IllegalStateException(node.name() + ": " + CONFLIST + " has no plugins: " + r.stdout());
                }
                ObjectNode conf = ((ObjectNode) first).deepCopy();
                conf.set("cniVersion", list.path("cniVersion"));
                conf.set("name", list.path("name"));
                return JSON.writeValueAsString(conf);
            } catch (IOException e) {
                throw new IllegalStateException(node.name() + ": " + CONFLIST + " is not JSON: " + e.getMessage(), e);
            }
        });
    }

    /** CNI ADD for {@code pod} (its namespace created first); the address in the result on success. */
    public static Outcome add(Node node, String pod, Duration timeout) {
        ExecResult r = node.exec(
                timeout.plusSeconds(5),
                env(node, "ADD", pod, timeout),
                "sh",
                "-c",
                "{ ip netns add \"$CNI_CONTAINERID\" 2>/dev/null || ip netns list | grep -qw \"$CNI_CONTAINERID\"; }"
                        + " && printf '%s' \"$WEFT_CONF\" | " + PLUGIN);
        if (r.timedOut()) {
            return new Outcome(false, true, null, "timed out");
        }
        if (!r.ok()) {
            return new Outcome(false, false, null, "exit " + r.exitCode() + ": " + (r.stdout() + r.stderr()).strip());
        }
        Optional<String> addr = firstAddress(r.stdout());
        return addr.map(a -> new Outcome(true, false, a, null))
                .orElseGet(() -> new Outcome(
                        false,
                        false,
                        null,
                        "no address in the result: " + r.stdout().strip()));
    }

    /** CNI DEL for {@code pod}, then its namespace removed. */
    public static Outcome del(Node node, String pod, Duration timeout) {
        ExecResult r = node.exec(
                timeout.plusSeconds(5),
                env(node, "DEL", pod, timeout),
                "sh",
                "-c",
                "printf '%s' \"$WEFT_CONF\" | " + PLUGIN
                        + " && { ip netns del \"$CNI_CONTAINERID\" 2>/dev/null; true; }");
        if (r.timedOut()) {
            return new Outcome(false, true, null, "timed out");
        }
        return r.ok()
                ? new Outcome(true, false, null, null)
                : new Outcome(false, false, null, "exit " + r.exitCode() + ": " + (r.stdout() + r.stderr()).strip());
    }

    /** Pings {@code address} once from inside {@code pod}; true when it answered within a second. */
    public static boolean ping(Node node, String pod, String address) {
        return node.exec(Duration.ofSeconds(10), "ip", "netns", "exec", pod, "ping", "-c", "1", "-W", "1", address)
                .ok();
    }

    private static Map<String, String> env(Node node, String command, String pod, Duration timeout) {
        return Map.of(
                "CNI_COMMAND",
                command,
                "CNI_CONTAINERID",
                pod,
                "CNI_NETNS",
                "/run/netns/" + pod,
                "CNI_IFNAME",
                "eth0",
                "CNI_PATH",
                BIN_DIR,
                "WEFT_CNI_TIMEOUT",
                Long.toString(Math.max(1, timeout.toSeconds())),
                "WEFT_CONF",
                pluginConfig(node));
    }

    static Optional<String> firstAddress(String result) {
        try {
            JsonNode ips = JSON.readTree(result).path("ips");
            return ips.isArray() && !ips.isEmpty() && ips.get(0).hasNonNull("address")
                    ? Optional.of(ips.get(0).get("address").asText())
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
