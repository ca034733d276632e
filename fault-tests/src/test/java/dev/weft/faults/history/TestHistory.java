package dev.weft.faults.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Synthetic histories for checker tests, written through the real {@link HistoryWriter} with a
 * hand-driven clock and read back through {@link HistoryCodec}, so every test also exercises the
 * file format.
 */
public final class TestHistory {

    public static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final HistoryWriter w;
    private long now;

    public TestHistory(String... nodes) {
        try {
            file = Files.createTempFile("history", ".jsonl");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        w = new HistoryWriter(file, () -> now);
        ObjectNode meta = JSON.createObjectNode();
        meta.put("scenario", "synthetic");
        var a = meta.putArray("nodes");
        for (String n : nodes) {
            a.add(n);
        }
        w.meta(meta);
    }

    /** Moves the clock to {@code seconds} since the start. */
    public TestHistory at(double seconds) {
        now = Math.round(seconds * 1e9);
        return this;
    }

    public HistoryWriter.Invocation invoke(String node, String f, String pod, JsonNode arg) {
        return w.invoke("w-" + node, node, f, pod, arg);
    }

    /** An allocation invoked at {@code from} and acknowledged with {@code addr} at {@code to}. */
    public TestHistory allocate(String node, String pod, String addr, double from, double to) {
        var inv = at(from).invoke(node, Fn.ALLOCATE, pod, null);
        at(to);
        inv.ok(JSON.getNodeFactory().textNode(addr));
        return this;
    }

    /** A release invoked at {@code from}, completing at {@code to} with {@code outcome} (ok, fail, info). */
    public TestHistory release(String node, String pod, double from, double to, String outcome) {
        var inv = at(from).invoke(node, Fn.RELEASE, pod, null);
        at(to);
        switch (outcome) {
            case "ok" -> inv.ok(null);
            case "fail" -> inv.fail("refused");
            default -> inv.info("timed out");
        }
        return this;
    }

    /** A successful READ of {@code node} at [from, to] returning pod -> address. */
    public TestHistory read(String node, double from, double to, Map<String, String> pods) {
        var inv = at(from).invoke(node, Fn.READ, null, null);
        at(to);
        ObjectNode v = JSON.createObjectNode();
        pods.forEach(v::put);
        inv.ok(v);
        return this;
    }

    /** A probe from pod@node to pod@node at [from, to]. */
    public TestHistory probe(String node, String pod, String toNode, String toPod, double from, double to, boolean ok) {
        ObjectNode arg = JSON.createObjectNode();
        arg.put("to", toPod);
        arg.put("toNode", toNode);
        arg.put("addr", "10.32.0.99");
        var inv = at(from).invoke(node, Fn.PROBE, pod, arg);
        at(to);
        if (ok) {
            inv.ok(null);
        } else {
            inv.fail("100% packet loss");
        }
        return this;
    }

    /** A successful read of kind {@code f} (ring, topology) of {@code node} at [from, to]. */
    public TestHistory view(String node, String f, double from, double to, JsonNode value) {
        var inv = at(from).invoke(node, f, null, null);
        at(to);
        inv.ok(value);
        return this;
    }

    /** A fault on {@code nodes} from {@code from} to {@code to}. */
    public TestHistory fault(String f, List<String> nodes, double from, double to) {
        var fault = at(from).w.nemesisStart(f, nodes, f + " " + nodes);
        at(to);
        fault.stop(null);
        return this;
    }

    /** The final heal at {@code t}. */
    public TestHistory heal(double t) {
        return fault(Fn.HEAL, List.of(), t, t);
    }

    /** Closes the writer and reads the file back. */
    public History done() {
        w.close();
        History h = HistoryCodec.read(file);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return h;
    }

    public static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
