package dev.weft.bench.ipam.runtime;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * bench/ipam-alloc's load: {@code connections} keep-alive HTTP/1.1 connections, each with one
 * request in flight (like concurrent CNI ADDs), driven by one thread with a selector so the load
 * generator takes as little CPU as possible from the server on a small machine.
 *
 * <p>Two kinds of request alternate in slices of {@code sliceMs}, so that both see the same
 * (shared, noisy) machine: "alloc" sends {@code POST /ip/<unique id>} (a real, durable allocation
 * each), "baseline" sends {@code GET /ipinfo/range} (same server, same HTTP path and connections,
 * no IPAM actor, no disk). A request counts for the kind of the slice it was sent in. After a
 * warm-up, prints one line per kind: requests/s (over the time of its slices) and latencies.
 *
 * <p>The warm-up lasts {@code warmupMs} and at least {@code warmupRequests} answers (at most a
 * minute), so that the measurement sees compiled code (steady state) even on a loaded machine,
 * where a few seconds give the JIT compilers little CPU.
 *
 * <p>Args: port connections warmupMs measureMs sliceMs warmupRequests.
 */
public final class IpamAllocLoad {

    /** Longest warm-up, whatever the request count. */
    private static final long MAX_WARMUP_NS = 60_000_000_000L;

    private static final byte[] BASELINE =
            "GET /ipinfo/range HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private IpamAllocLoad() {}

    /** One connection: its buffers and the request in flight. */
    private static final class Conn {
        final SocketChannel ch;
        final ByteBuffer out = ByteBuffer.allocate(256);
        final ByteBuffer in = ByteBuffer.allocate(16 * 1024);
        long sentAt;
        int kind;
        boolean measured;

        Conn(SocketChannel ch) {
            this.ch = ch;
        }
    }

    /** Latencies and errors of one kind. */
    private static final class Tally {
        long[] latencies = new long[1 << 16];
        int count;
        long errors;

        void add(long nanos) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = nanos;
        }

        String line(String name, double seconds) {
            long[] all = Arrays.copyOf(latencies, count);
            Arrays.sort(all);
            double p50 = count == 0 ? 0 : all[(int) (count * 0.50)] / 1e6;
            double p99 = count == 0 ? 0 : all[Math.min(count - 1, (int) (count * 0.99))] / 1e6;
            return String.format(
                    Locale.ROOT,
                    "%s per_s=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d requests=%d",
                    name,
                    count / seconds,
                    p50,
                    p99,
                    errors,
                    count);
        }
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int connections = Integer.parseInt(args[1]);
        long warmupNs = Long.parseLong(args[2]) * 1_000_000L;
        long measureNs = Long.parseLong(args[3]) * 1_000_000L;
        long sliceNs = Long.parseLong(args[4]) * 1_000_000L;
        long warmupRequests = Long.parseLong(args[5]);
        Tally[] tallies = {new Tally(), new Tally()}; // 0 baseline, 1 alloc
        long[] sliceTime = new long[2];
        long nextId = 0;
        double warmupSeconds = 0;
        long warmupAnswers = 0;
        long allocAnswers = 0;
        long totalAnswers = 0;
        try (Selector sel = Selector.open()) {
            Conn[] conns = new Conn[connections];
            for (int i = 0; i < connections; i++) {
                SocketChannel ch = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.configureBlocking(false);
                conns[i] = new Conn(ch);
                ch.register(sel, SelectionKey.OP_READ, conns[i]);
            }
            long start = System.nanoTime();
            long measureFrom = Long.MAX_VALUE; // set when the warm-up is over
            long until = Long.MAX_VALUE;
            long answers = 0;
            for (Conn c : conns) {
                nextId = send(c, start, start, measureFrom, sliceNs, nextId);
            }
            int open = connections;
            long lastSliceCheck = Long.MAX_VALUE;
            while (open > 0) {
                sel.select(100);
                long now = System.nanoTime();
                if (measureFrom == Long.MAX_VALUE
                        && now - start >= warmupNs
                        && (answers >= warmupRequests || now - start >= MAX_WARMUP_NS)) {
                    measureFrom = now;
                    until = now + measureNs;
                    lastSliceCheck = now;
                    warmupSeconds = (now - start) / 1e9;
                    warmupAnswers = answers;
                }
                for (SelectionKey k : sel.selectedKeys()) {
                    Conn c = (Conn) k.attachment();
                    if (k.isWritable()) {
                        c.ch.write(c.out);
                        if (!c.out.hasRemaining()) {
                            k.interestOps(SelectionKey.OP_READ);
                        }
                    }
                    if (!k.isReadable()) {
                        continue;
                    }
                    if (c.ch.read(c.in) < 0) {
                        throw new IOException("server closed a connection");
                    }
                    int status = response(c.in);
                    if (status == 0) {
                        continue; // incomplete
                    }
                    answers++;
                    if (c.kind == 1) {
                        allocAnswers++;
                    }
                    if (c.measured) {
                        tallies[c.kind].add(now - c.sentAt);
                        if (status != 200) {
                            tallies[c.kind].errors++;
                        }
                    } else if (status != 200) {
                        tallies[c.kind].errors++;
                    }
                    if (now >= until) {
                        c.ch.close();
                        open--;
                        continue;
                    }
                    nextId = send(c, now, start, measureFrom, sliceNs, nextId);
                    if (c.out.hasRemaining()) {
                        k.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    }
                }
                sel.selectedKeys().clear();
                totalAnswers = answers;
                // time of each kind's slices inside the measured window
                long t = measureFrom == Long.MAX_VALUE ? lastSliceCheck : Math.min(now, until);
                while (lastSliceCheck < t) {
                    long sliceEnd = Math.min(t, (((lastSliceCheck - start) / sliceNs) + 1) * sliceNs + start);
                    sliceTime[kindAt(lastSliceCheck, start, sliceNs)] += sliceEnd - lastSliceCheck;
                    lastSliceCheck = sliceEnd;
                }
            }
        }
        System.out.printf(
                Locale.ROOT,
                "warmup_s=%.1f warmup_requests=%d answers_total=%d alloc_total=%d%n",
                warmupSeconds,
                warmupAnswers,
                totalAnswers,
                allocAnswers);
        System.out.println(tallies[0].line("baseline", sliceTime[0] / 1e9));
        System.out.println(tallies[1].line("alloc", sliceTime[1] / 1e9));
    }

    private static int kindAt(long t, long start, long sliceNs) {
        return (int) (((t - start) / sliceNs) & 1);
    }

    private static long send(Conn c, long now, long start, long measureFrom, long sliceNs, long nextId)
            throws IOException {
        c.kind = kindAt(now, start, sliceNs);
        c.measured = now >= measureFrom;
        c.out.clear();
        if (c.kind == 0) {
            c.out.put(BASELINE);
        } else {
            c.out.put(("POST /ip/bench-" + nextId++ + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }
        c.out.flip();
        c.sentAt = now;
        c.ch.write(c.out);
        return nextId;
    }

    /**
     * Consumes one complete HTTP/1.1 response (with Content-Length) from {@code in} (in write
     * mode); returns its status, or 0 if it is not complete yet.
     */
    static int response(ByteBuffer in) throws IOException {
        byte[] b = in.array();
        int n = in.position();
        int headerEnd = -1;
        for (int i = 3; i < n; i++) {
            if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') {
                headerEnd = i + 1;
                break;
            }
        }
        if (headerEnd < 0) {
            if (n == b.length) {
                throw new IOException("response header too long");
            }
            return 0;
        }
        String head = new String(b, 0, headerEnd, StandardCharsets.US_ASCII);
        int status = Integer.parseInt(head.substring(9, 12));
        int cl = 0;
        int at = head.toLowerCase(Locale.ROOT).indexOf("content-length:");
        if (at >= 0) {
            int eol = head.indexOf('\r', at);
            cl = Integer.parseInt(head.substring(at + 15, eol).strip());
        }
        if (n < headerEnd + cl) {
            return 0;
        }
        in.flip();
        in.position(headerEnd + cl);
        in.compact();
        return status;
    }
}
