package dev.weft.bench.ipam.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;

/**
 * bench/ipam-alloc's disk baseline: the latency of appending 4 KiB to a file next to the store and
 * forcing it to disk, what every group commit pays at least once. With one request in flight per
 * connection, allocations cannot go faster than about {@code connections / (2 x mean)} per second
 * (a request waits for the commit in progress, then for its own).
 */
final class FsyncProbe {

    private FsyncProbe() {}

    /** Forces {@code n} appends in {@code dir}; returns "p50_ms=.. mean_ms=.. p99_ms=..". */
    static String measure(Path dir, int n) throws IOException {
        Path f = dir.resolve("fsync-probe");
        long[] t = new long[n];
        try (FileChannel ch =
                FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer page = ByteBuffer.allocate(4096);
            for (int i = 0; i < n; i++) {
                page.clear();
                ch.write(page);
                long t0 = System.nanoTime();
                ch.force(false);
                t[i] = System.nanoTime() - t0;
            }
        } finally {
            Files.deleteIfExists(f);
        }
        Arrays.sort(t);
        double mean = Arrays.stream(t).average().orElse(0);
        return String.format(
                Locale.ROOT,
                "p50_ms=%.2f mean_ms=%.2f p99_ms=%.2f",
                t[n / 2] / 1e6,
                mean / 1e6,
                t[Math.min(n - 1, (int) (n * 0.99))] / 1e6);
    }
}
