package dev.weft.bench.gossip;

import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.internal.wire.WireCodec;
import dev.weft.gossip.spi.MeshMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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
 * The mesh's frame body codec (docs/protocol.md, "Messages"), one thread: a gossip message with a
 * {@code payload}-byte body encoded into a reused buffer, and decoded from one. {@code copyFloor}
 * copies the same bytes into the same buffer: the cheapest thing encoding could be.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FrameCodecBench {

    /** Payload bytes: a topology record is about 100-200 B plus 14 B per connection. */
    @Param({"200", "16384"})
    public int payload;

    private MeshMessage.Gossip message;
    private ByteBuf out;
    private ByteBuf encoded;
    private byte[] raw;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] p = new byte[payload];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) (i * 31);
        }
        message = new MeshMessage.Gossip("topology", PeerName.of(0x020000000001L), p);
        out = Unpooled.buffer(payload + 256);
        encoded = Unpooled.buffer(payload + 256);
        WireCodec.encode(message, encoded);
        raw = new byte[encoded.readableBytes()];
        encoded.getBytes(0, raw);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        out.release();
        encoded.release();
    }

    @Benchmark
    public int encode() {
        out.clear();
        WireCodec.encode(message, out);
        return out.readableBytes();
    }

    @Benchmark
    public Object decode() {
        encoded.readerIndex(0);
        return WireCodec.decode(encoded);
    }

    @Benchmark
    public int copyFloor() {
        out.clear();
        out.writeBytes(raw);
        return out.readableBytes();
    }
}
