package dev.weft.faults.runtime.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.faults.runtime.cluster.ClusterSpec;
import dev.weft.faults.runtime.cluster.ExecResult;
import dev.weft.faults.runtime.cluster.Node;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Pods the way kubelet makes them on a node: a network namespace, then the Weft CNI plugin
 * (the checkout's {@code cni/target/cni-bin/weft}) executed with the CNI environment and the
 * network configuration on stdin; DEL the same way, then the namespace removed. The router does
 * the plumbing and the address allocation.
 *
 * <p>Stateless; every method runs commands in the node and blocks.
 */
public final class CniPods {

    /** The plugin inside every node. */
    public static final String PLUGIN = ClusterSpec.WEFT_MOUNT + "/cni/target/cni-bin/weft";

    /** The router's CNI socket inside a node; present once the router serves CNI. */
    public static final String SOCKET = "/run/weft/cni.sock";

    static final String CONF =
            "{\"cniVersion\":\"1.0.0\",\"name\":\"weft\",\"type\":\"weft\",\"bridge\":\"weft\",\"hairpinMode\":true}";

    private static final ObjectMapper JSON = new ObjectMapper();

    private CniPods() {}

    /** The outcome of one CNI command. */
    public record Outcome(boolean ok, boolean timedOut, String address, String error) {}

    /** True when the router on {@code node} serves CNI (its socket exists and the plugin is built). */
    public static boolean available(Node node) {
        return node.sh(Duration.ofSeconds(10), "test -S " + SOCKET + " && test -x " + PLUGIN)
                .ok();
    }

    /** CNI ADD for {@code pod} (its namespace created first); the address in the result on success. */
    public static Outcome add(Node node, String pod, Duration timeout) {
        ExecResult r = node.exec(
                timeout.plusSeconds(5),
                env("ADD", pod, timeout),
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
                env("DEL", pod, timeout),
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

    private static Map<String, String> env(String command, String pod, Duration timeout) {
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
                ClusterSpec.WEFT_MOUNT + "/cni/target/cni-bin",
                "WEFT_CNI_TIMEOUT",
                Long.toString(Math.max(1, timeout.toSeconds())),
                "WEFT_CONF",
                CONF);
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
