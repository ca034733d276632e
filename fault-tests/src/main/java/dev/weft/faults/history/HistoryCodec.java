package dev.weft.faults.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON lines form of a history: one object per line with the keys {@code i, t, type, op,
 * proc, node, f, pod, nodes, value, error} ({@code t} in nanoseconds since the run started);
 * absent keys mean null. Stateless and thread-safe.
 */
public final class HistoryCodec {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HistoryCodec() {}

    /** One event as a single line of JSON (no newline). */
    public static String encode(Event e) {
        ObjectNode o = JSON.createObjectNode();
        o.put("i", e.index());
        o.put("t", e.timeNanos());
        o.put("type", e.type().wire());
        if (e.op() != 0) {
            o.put("op", e.op());
        }
        putIfNotNull(o, "proc", e.process());
        putIfNotNull(o, "node", e.node());
        putIfNotNull(o, "f", e.f());
        putIfNotNull(o, "pod", e.pod());
        if (!e.nodes().isEmpty()) {
            ArrayNode a = o.putArray("nodes");
            e.nodes().forEach(a::add);
        }
        if (e.value() != null) {
            o.set("value", e.value());
        }
        putIfNotNull(o, "error", e.error());
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * The event on one line.
     *
     * @throws IllegalArgumentException when the line is not a history event (the message says why)
     */
    public static Event decode(String line) {
        JsonNode o;
        try {
            o = JSON.readTree(line);
        } catch (JsonProcessingException ex) {
            throw new IllegalArgumentException("not JSON: " + ex.getOriginalMessage());
        }
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        for (String required : List.of("i", "t", "type")) {
            if (!o.hasNonNull(required)) {
                throw new IllegalArgumentException("missing \"" + required + "\"");
            }
        }
        Event.Type type;
        try {
            type = Event.Type.fromWire(o.get("type").asText());
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("unknown type \"" + o.get("type").asText() + "\"");
        }
        List<String> nodes = new ArrayList<>();
        if (o.has("nodes")) {
            if (!o.get("nodes").isArray()) {
                throw new IllegalArgumentException("\"nodes\" must be an array");
            }
            o.get("nodes").forEach(n -> nodes.add(n.asText()));
        }
        if (!o.get("i").canConvertToLong() || !o.get("t").canConvertToLong()) {
            throw new IllegalArgumentException("\"i\" and \"t\" must be integers");
        }
        return new Event(
                o.get("i").asLong(),
                o.get("t").asLong(),
                type,
                o.path("op").asLong(0),
                text(o, "proc"),
                text(o, "node"),
                text(o, "f"),
                text(o, "pod"),
                nodes,
                o.has("value") && !o.get("value").isNull() ? o.get("value") : null,
                text(o, "error"));
    }

    /**
     * Reads a history file.
     *
     * @throws IllegalArgumentException naming the line when one is malformed; a torn last line
     *     (a run killed while writing) is ignored
     */
    public static History read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read history " + file, e);
        }
        List<Event> events = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isBlank()) {
                continue;
            }
            try {
                events.add(decode(line));
            } catch (IllegalArgumentException e) {
                if (n == lines.size() - 1) {
                    break; // torn last line
                }
                throw new IllegalArgumentException(file + ":" + (n + 1) + ": " + e.getMessage(), e);
            }
        }
        return new History(events);
    }

    private static void putIfNotNull(ObjectNode o, String k, String v) {
        if (v != null) {
            o.put(k, v);
        }
    }

    private static String text(JsonNode o, String k) {
        JsonNode v = o.get(k);
        return v == null || v.isNull() ? null : v.asText();
    }
}
