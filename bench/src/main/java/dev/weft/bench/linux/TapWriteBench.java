package dev.weft.bench.linux;

import dev.weft.linux.api.NetNs;
import dev.weft.linux.api.RtNetlink;
import dev.weft.linux.api.Tap;
import dev.weft.linux.api.TapConfig;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Frames written into a TAP per second on one thread: what sleeve does for every frame it
 * delivers. The TAP is up and alone in its namespace, so the kernel takes each frame into its
 * receive path and drops it there (ethertype 0x88b5, no listener). {@code emptyReadFloor} is the
 * baseline: a read(2) through the same binding that returns EAGAIN at once (the cheapest system
 * call on the same fd).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TapWriteBench {
    @Param({"60", "1514"})
    int frameSize;

    private NetNs ns;
    private Tap sink;
    private Tap empty;
    private ByteBuffer frame;
    private ByteBuffer rx;

    @Setup(Level.Trial)
    public void setUp() {
        ns = BenchNamespace.create("tapw");
        sink = ns.call(() -> Tap.open(TapConfig.named("bsink")));
        empty = ns.call(() -> Tap.open(TapConfig.named("bempty")));
        try (RtNetlink rt = RtNetlink.open(ns)) {
            rt.links().setUp("bsink");
        }
        frame = TapFrames.frame(frameSize);
        rx = ByteBuffer.allocateDirect(2048);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        sink.close();
        empty.close();
        BenchNamespace.delete(ns);
    }

    @Benchmark
    public int write() {
        frame.clear().limit(frameSize);
        return sink.write(frame);
    }

    @Benchmark
    public int emptyReadFloor() {
        rx.clear();
        return empty.tryRead(rx);
    }
}
