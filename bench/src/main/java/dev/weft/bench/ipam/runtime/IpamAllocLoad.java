package dev.weft.bench.ipam.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * bench/ipam-alloc's load: {@code connections} keep-alive HTTP/1.1 connections, each with one
 * request in flight (a CNI-like client), for a warm-up and then a measured period. Measures
 * requests/s and the latency distribution. Mode "alloc" sends {@code POST /ip/<unique id>} (a real,
 * durable allocation each); mode "baseline" sends {@code GET /ipinfo/range} (same server, same HTTP
 * path, no IPAM actor, no disk) for the ratio.
 */
public final class IpamAllocLoad {

    private IpamAllocLoad() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String mode = args[1];
        int connections = Integer.parseInt(args[2]);
        long warmupMs = Long.parseLong(args[3]);
        long measureMs = Long.parseLong(args[4]);
        AtomicLong ids = new AtomicLong();
        long[][] latencies = new long[connections][];
        int[] counts = new int[connections];
        long[] errors = new long[connections];
        long start = System.nanoTime();
        long measureFrom = start + warmupMs * 1_000_000L;
        long until = measureFrom + measureMs * 1_000_000L;
        Thread[] threads = new Thread[connections];
        for (int c = 0; c < connections; c++) {
            int me = c;
            latencies[c] = new long[1 << 16];
            threads[c] = Thread.ofPlatform().start(() -> {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    s.setTcpNoDelay(true);
                    OutputStream out = s.getOutputStream();
                    InputStream in = s.getInputStream();
                    byte[] buf = new byte[8192];
                    while (true) {
                        long t0 = System.nanoTime();
                        if (t0 >= until) {
                            break;
                        }
                        String req = mode.equals("alloc")
                                ? "POST /ip/bench-" + ids.incrementAndGet()
                                        + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"
                                : "GET /ipinfo/range HTTP/1.1\r\nHost: x\r\n\r\n";
                        out.write(req.getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        int status = readResponse(in, buf);
                        long t1 = System.nanoTime();
                        if (status != 200) {
                            errors[me]++;
                        }
                        if (t0 >= measureFrom) {
                            if (counts[me] == latencies[me].length) {
                                latencies[me] = Arrays.copyOf(latencies[me], counts[me] * 2);
                            }
                            latencies[me][counts[me]++] = t1 - t0;
                        }
                    }
                } catch (IOException e) {
                    errors[me]++;
                }
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        int total = 0;
        long errs = 0;
        for (int c = 0; c < connections; c++) {
            total += counts[c];
            errs += errors[c];
        }
        long[] all = new long[total];
        int k = 0;
        for (int c = 0; c < connections; c++) {
            System.arraycopy(latencies[c], 0, all, k, counts[c]);
            k += counts[c];
        }
        Arrays.sort(all);
        double perSecond = total / (measureMs / 1000.0);
        double p50 = total == 0 ? 0 : all[(int) (total * 0.50)] / 1e6;
        double p99 = total == 0 ? 0 : all[Math.min(total - 1, (int) (total * 0.99))] / 1e6;
        System.out.printf(
                Locale.ROOT,
                "%s per_s=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d requests=%d%n",
                mode,
                perSecond,
                p50,
                p99,
                errs,
                total);
    }

    /** Reads one HTTP/1.1 response with Content-Length; returns its status. */
    static int readResponse(InputStream in, byte[] buf) throws IOException {
        int n = 0;
        int headerEnd = -1;
        while (headerEnd < 0) {
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                throw new IOException("connection closed");
            }
            n += r;
            for (int i = 3; i < n; i++) {
                if (buf[i - 3] == '\r' && buf[i - 2] == '\n' && buf[i - 1] == '\r' && buf[i] == '\n') {
                    headerEnd = i + 1;
                    break;
                }
            }
        }
        String head = new String(buf, 0, headerEnd, StandardCharsets.US_ASCII);
        int status = Integer.parseInt(head.substring(9, 12));
        int cl = 0;
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                cl = Integer.parseInt(line.substring(15).strip());
            }
        }
        int have = n - headerEnd;
        while (have < cl) {
            int r = in.read(buf, 0, Math.min(buf.length, cl - have));
            if (r < 0) {
                throw new IOException("connection closed in the body");
            }
            have += r;
        }
        return status;
    }
}
