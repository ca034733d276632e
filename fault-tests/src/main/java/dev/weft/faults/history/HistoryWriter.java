package dev.weft.faults.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Records a run as JSON lines, one {@link Event} per line, flushed as it is written so that a run
 * that dies still leaves its history. Also keeps the events in memory for the checkers.
 *
 * <p>Thread-safety: every method may be called from any thread; events are numbered and written
 * in the order their calls take the lock, and their times are read under that lock, so times
 * never go backwards along the file.
 */
public final class HistoryWriter implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BufferedWriter out;
    private final LongSupplier nanos;
    private final List<Event> events = new ArrayList<>();
    private long nextOp = 1;
    private boolean closed;

    /**
     * @param file the JSON lines file (created or truncated)
     * @param nanos the run's clock: nanoseconds since the run started, never decreasing
     */
    public HistoryWriter(Path file, LongSupplier nanos) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write history " + file, e);
        }
        this.nanos = nanos;
    }

    /** Writes the run's description (scenario, seed, nodes...) as the META line. */
    public synchronized void meta(ObjectNode description) {
        append(Event.Type.META, 0, "harness", null, "meta", null, List.of(), description, null);
    }

    /** Records the start of an operation; complete it with the returned handle exactly once. */
    public synchronized Invocation invoke(String process, String node, String f, String pod, JsonNode arg) {
        long op = nextOp++;
        append(Event.Type.INVOKE, op, process, node, f, pod, List.of(), arg, null);
        return new Invocation(this, op, process, node, f, pod);
    }

    /** Records the start of a fault on {@code nodes}; end it with {@link Fault#stop}. */
    public synchronized Fault nemesisStart(String f, List<String> nodes, String description) {
        long op = nextOp++;
        append(
                Event.Type.NEMESIS_START,
                op,
                "nemesis",
                null,
                f,
                null,
                nodes,
                JSON.getNodeFactory().textNode(description),
                null);
        return new Fault(this, op, f, List.copyOf(nodes));
    }

    synchronized void complete(Invocation inv, Event.Type type, JsonNode value, String error) {
        append(type, inv.op(), inv.process(), inv.node(), inv.f(), inv.pod(), List.of(), value, error);
    }

    synchronized void stop(Fault fault, String error) {
        append(Event.Type.NEMESIS_STOP, fault.op(), "nemesis", null, fault.f(), null, fault.nodes(), null, error);
    }

    private void append(
            Event.Type type,
            long op,
            String process,
            String node,
            String f,
            String pod,
            List<String> nodes,
            JsonNode value,
            String error) {
        Event e = new Event(events.size(), nanos.getAsLong(), type, op, process, node, f, pod, nodes, value, error);
        events.add(e);
        if (closed) {
            return; // late completions after close stay in memory only
        }
        try {
            out.write(HistoryCodec.encode(e));
            out.write('\n');
            out.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write history", ex);
        }
    }

    /** A copy of the events so far. */
    public synchronized History history() {
        return new History(List.copyOf(events));
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** An operation in flight. */
    public static final class Invocation {
        private final HistoryWriter writer;
        private final long op;
        private final String process;
        private final String node;
        private final String f;
        private final String pod;
        private boolean done;

        Invocation(HistoryWriter writer, long op, String process, String node, String f, String pod) {
            this.writer = writer;
            this.op = op;
            this.process = process;
            this.node = node;
            this.f = f;
            this.pod = pod;
        }

        long op() {
            return op;
        }

        String process() {
            return process;
        }

        String node() {
            return node;
        }

        String f() {
            return f;
        }

        String pod() {
            return pod;
        }

        /** The operation succeeded with {@code result}. */
        public void ok(JsonNode result) {
            finish(Event.Type.OK, result, null);
        }

        /** The operation certainly did not take effect. */
        public void fail(String why) {
            finish(Event.Type.FAIL, null, why);
        }

        /** The operation's outcome is unknown (timeout, connection lost). */
        public void info(String why) {
            finish(Event.Type.INFO, null, why);
        }

        private synchronized void finish(Event.Type type, JsonNode value, String error) {
            if (done) {
                throw new IllegalStateException("operation " + op + " (" + f + ") completed twice");
            }
            done = true;
            writer.complete(this, type, value, error);
        }
    }

    /** A fault in force. */
    public static final class Fault {
        private final HistoryWriter writer;
        private final long op;
        private final String f;
        private final List<String> nodes;
        private boolean stopped;

        Fault(HistoryWriter writer, long op, String f, List<String> nodes) {
            this.writer = writer;
            this.op = op;
            this.f = f;
            this.nodes = nodes;
        }

        long op() {
            return op;
        }

        String f() {
            return f;
        }

        List<String> nodes() {
            return nodes;
        }

        /** The fault is over (healed); {@code error} says why undoing it failed, or null. Idempotent. */
        public synchronized void stop(String error) {
            if (!stopped) {
                stopped = true;
                writer.stop(this, error);
            }
        }
    }
}
