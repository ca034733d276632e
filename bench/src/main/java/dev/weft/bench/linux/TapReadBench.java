package dev.weft.bench.linux;

import dev.weft.linux.api.LinkSpec;
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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Frames read from a TAP per second on one thread: sleeve's capture path. Before each
 * invocation (untimed) {@value #QUEUED} frames are written into TAP "bsrc"; a bridge forwards
 * them to TAP "bdst", whose queue the timed part drains with one read(2) per frame ({@code
 * read}) or with {@link Tap#readBatch} ({@code readBatch32}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TapReadBench {
    static final int QUEUED = 256;

    @Param({"60", "1514"})
    int frameSize;

    private NetNs ns;
    private Tap src;
    private Tap dst;
    private ByteBuffer frame;
    private ByteBuffer rx;
    private ByteBuffer[] batch;

    @Setup(Level.Trial)
    public void setUp() {
        ns = BenchNamespace.create("tapr");
        src = ns.call(() -> Tap.open(TapConfig.named("bsrc")));
        dst = ns.call(() -> Tap.open(TapConfig.named("bdst")));
        try (RtNetlink rt = RtNetlink.open(ns)) {
            rt.links().create(LinkSpec.bridge("br0").up());
            int br = rt.links().get("br0").index();
            for (String t : new String[] {"bsrc", "bdst"}) {
                rt.links().setMaster(t, br);
                rt.links().setUp(t);
            }
        }
        frame = TapFrames.frame(frameSize);
        rx = ByteBuffer.allocateDirect(2048);
        batch = new ByteBuffer[32];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = ByteBuffer.allocateDirect(2048);
        }
    }

    @Setup(Level.Invocation)
    public void fill() {
        for (int i = 0; i < QUEUED; i++) {
            frame.clear().limit(frameSize);
            src.write(frame);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        src.close();
        dst.close();
        BenchNamespace.delete(ns);
    }

    @Benchmark
    @OperationsPerInvocation(QUEUED)
    public long read() {
        long bytes = 0;
        for (int i = 0; i < QUEUED; i++) {
            rx.clear();
            bytes += dst.read(rx);
        }
        return bytes;
    }

    @Benchmark
    @OperationsPerInvocation(QUEUED)
    public int readBatch32() {
        int frames = 0;
        while (frames < QUEUED) {
            for (ByteBuffer b : batch) {
                b.clear();
            }
            frames += dst.readBatch(batch, 0, Math.min(batch.length, QUEUED - frames));
        }
        return frames;
    }
}
