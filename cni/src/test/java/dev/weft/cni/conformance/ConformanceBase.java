package dev.weft.cni.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.cni.libcni.CniRuntime;
import dev.weft.cni.libcni.NetworkConfigList;
import dev.weft.cni.libcni.PluginException;
import dev.weft.cni.libcni.PluginRun;
import dev.weft.cni.testing.CniTestbed;
import dev.weft.cni.testing.MemoryAllocator;
import dev.weft.linux.api.Link;
import dev.weft.linux.api.RtNetlink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * One testbed (host namespace with the bridge, router-side server, pods) per test class; each
 * test uses its own container IDs and pods. Plugins run through {@link CniRuntime}, the libcni
 * equivalent, or as raw shim executions when a test needs to send what no runtime would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ConformanceBase {
    static final AtomicInteger SEQUENCE = new AtomicInteger();

    MemoryAllocator ipam;
    CniTestbed bed;
    CniRuntime rt;

    @BeforeAll
    void startTestbed() throws IOException {
        ipam = new MemoryAllocator("10.32.0.0/24", true);
        bed = new CniTestbed(ipam);
        rt = bed.runtime();
    }

    @AfterAll
    void stopTestbed() {
        if (bed != null) {
            bed.close();
        }
    }

    /** A fresh container ID and pod namespace. */
    CniRuntime.Attachment newPod(String name) {
        String id = name + "-" + SEQUENCE.incrementAndGet();
        Path pod = bed.pod(id);
        return CniRuntime.Attachment.of(id, pod.toString(), "eth0");
    }

    /** Runs the shim for one verb with the runtime's environment, changed by {@code overrides} (null removes). */
    PluginRun shim(String command, CniRuntime.Attachment a, Map<String, String> overrides, String stdin)
            throws IOException {
        Map<String, String> env = new HashMap<>(rt.environment(command, a));
        overrides.forEach((k, v) -> {
            if (v == null) {
                env.remove(k);
            } else {
                env.put(k, v);
            }
        });
        return rt.exec(rt.find("weft"), env, stdin.getBytes(StandardCharsets.UTF_8));
    }

    /** The request config the runtime would send for the single plugin of {@code list}. */
    static ObjectNode conf(NetworkConfigList list, CniRuntime.Attachment a) throws IOException {
        return CniRuntime.requestConfig(list, list.plugins().get(0), CniRuntime.selectVersion(list), a, true);
    }

    /** Asserts a failed run printed an error object (P01, P02) and returns it. */
    static JsonNode errorOf(PluginRun run) throws IOException {
        assertThat(run.exitStatus())
                .as("P01: non-zero exit on failure; stdout %s", run.stdout())
                .isNotZero();
        JsonNode e = NetworkConfigList.JSON.readTree(run.stdout());
        assertThat(e != null && e.isObject() && e.has("code") && e.has("msg") && e.has("cniVersion"))
                .as("P02: error object on stdout: %s", run.stdout())
                .isTrue();
        assertThat(e.get("code").asInt()).isBetween(1, 999);
        return e;
    }

    /** Runs {@code body}, which must fail with a plugin error, and returns it. */
    static PluginException failure(ThrowingRunnable body) throws Exception {
        try {
            body.run();
        } catch (PluginException e) {
            return e;
        }
        throw new AssertionError("expected the plugin to fail");
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** The pod's interface, if present. */
    static Optional<Link> podLink(CniRuntime.Attachment a) {
        try (RtNetlink pod = CniTestbed.rtnetlink(Path.of(a.netns()))) {
            return pod.links().find(a.ifname());
        }
    }
}
