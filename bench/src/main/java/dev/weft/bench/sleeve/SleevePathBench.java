package dev.weft.bench.sleeve;

import dev.weft.gossip.spi.SessionKey;
import dev.weft.sleeve.api.DataPlaneCipher;
import dev.weft.sleeve.api.Frame;
import dev.weft.sleeve.api.Lane;
import dev.weft.sleeve.api.Offload;
import dev.weft.sleeve.api.PeerMap;
import dev.weft.sleeve.internal.engine.ControlEvents;
import dev.weft.sleeve.internal.engine.CopyingSink;
import dev.weft.sleeve.internal.engine.DataLane;
import dev.weft.sleeve.internal.engine.DatagramSink;
import dev.weft.sleeve.internal.engine.DropCounters;
import dev.weft.sleeve.internal.engine.Fragments;
import dev.weft.sleeve.internal.engine.Receiver;
import dev.weft.sleeve.internal.engine.SleeveLink;
import dev.weft.sleeve.internal.engine.UdpAddress;
import dev.weft.sleeve.spi.FrameHandler;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The sleeve's per-frame work without the kernel: {@code send} seals one frame (a 64 KiB TSO
 * super-frame or one MTU-sized frame) into datagrams (header writing included, the socket
 * replaced by a sink that keeps nothing); {@code receive} takes the datagrams of one such message
 * (reassembly, authentication, replay check, record parsing) up to the frame handler. Scores are
 * messages per second; multiply by the frame size for bytes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class SleevePathBench {
    @Param({"AES_256_GCM", "CHACHA20_POLY1305", "NONE"})
    String cipher;

    @Param({"65000", "1390"})
    int frameSize;

    static final long A = 0x0a0000000001L;
    static final long B = 0x0b0000000002L;
    static final long ADDR_A = UdpAddress.of(0x0a000001, 6783);
    static final long ADDR_B = UdpAddress.of(0x0a000002, 6783);
    static final Lane LANE = () -> "bench";
    /** Messages sealed ahead for the receive side (about 4 MiB of them). */
    int batch;

    DataLane sender;
    SleeveLink ab;
    Frame frame;
    CountingSink sink;

    /** Pre-sealed datagrams of consecutive messages, for the receive side. */
    ByteBuffer[][] datagrams;

    int[][] lengths;
    Receiver receiver;
    volatile PeerMap<SleeveLink> bLinks;
    int next;
    SessionKey key;
    DataPlaneCipher c;
    long delivered;

    /** A sink that keeps nothing (the send side): it counts the datagrams each message takes. */
    static final class CountingSink implements DatagramSink {
        long datagrams;

        @Override
        public boolean queue(
                long remote,
                int kind,
                int cipherId,
                long sender,
                long seq,
                ByteBuffer sealed,
                int offset,
                int length,
                int datagramPayload) {
            datagrams += Fragments.count(length, datagramPayload);
            return true;
        }

        @Override
        public void flush() {}
    }

    /** Copies the datagrams of up to 64 messages out into direct buffers (preparing the receive side). */
    static final class KeepingSink extends CopyingSink {
        final ByteBuffer[] keep = new ByteBuffer[64];
        final int[] keepLengths = new int[64];
        int kept;

        @Override
        protected ByteBuffer newDatagram(int length) {
            return ByteBuffer.allocateDirect(length);
        }

        @Override
        protected void datagram(long remote, ByteBuffer datagram) {
            keep[kept] = datagram;
            keepLengths[kept++] = datagram.capacity();
        }

        @Override
        public void flush() {}
    }

    static final ControlEvents NO_EVENTS = new ControlEvents() {
        @Override
        public void heartbeat(SleeveLink link, long from) {}

        @Override
        public void probe(SleeveLink link, int datagramLength) {}
    };

    @Setup(Level.Trial)
    public void setup() {
        c = DataPlaneCipher.valueOf(cipher);
        key = new SessionKey(new byte[32]);
        rawIn = new byte[frameSize];
        rawOut = new byte[frameSize + 16];
        if (c.encrypts()) {
            try {
                boolean aes = c == DataPlaneCipher.AES_256_GCM;
                rawCipher = javax.crypto.Cipher.getInstance(aes ? "AES/GCM/NoPadding" : "ChaCha20-Poly1305");
                rawKey = new javax.crypto.spec.SecretKeySpec(new byte[32], aes ? "AES" : "ChaCha20");
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        sink = new CountingSink();
        sender = new DataLane(DataLane.TX, sink, new DropCounters(), 16, SleevePathBench::direct);
        ab = new SleeveLink(A, B, 1, c, key, ADDR_B, 1500, SleevePathBench::direct, NO_EVENTS);
        frame = frame(frameSize);

        // Seal the messages once, keeping their datagrams for the receive benchmark.
        KeepingSink keeper = new KeepingSink();
        batch = frameSize > 1500 ? 64 : 4096;
        DataLane prep = new DataLane(DataLane.TX, keeper, new DropCounters(), 2, SleevePathBench::direct);
        SleeveLink prepLink = new SleeveLink(A, B, 1, c, key, ADDR_B, 1500, SleevePathBench::direct, NO_EVENTS);
        datagrams = new ByteBuffer[batch][];
        lengths = new int[batch][];
        for (int m = 0; m < batch; m++) {
            keeper.kept = 0;
            prep.send(prepLink, A, B, false, frame(frameSize));
            prep.flush();
            datagrams[m] = java.util.Arrays.copyOf(keeper.keep, keeper.kept);
            lengths[m] = java.util.Arrays.copyOf(keeper.keepLengths, keeper.kept);
        }
        FrameHandler count = new FrameHandler() {
            @Override
            public void captured(Lane lane, Frame f) {}

            @Override
            public void received(Lane lane, long fromPeer, long srcPeer, long dstPeer, boolean flood, Frame f) {
                delivered += f.length();
            }
        };
        DataLane rx = new DataLane(DataLane.RX, new CountingSink(), new DropCounters(), 4, SleevePathBench::direct);
        receiver = new Receiver(() -> bLinks, rx, count, new DropCounters(), SleevePathBench::direct);
        freshReceivingLink();
    }

    private void freshReceivingLink() {
        SleeveLink ba = new SleeveLink(B, A, 1, c, key, ADDR_A, 1500, SleevePathBench::direct, NO_EVENTS);
        bLinks = PeerMap.<SleeveLink>empty().with(A, ba);
        next = 0;
    }

    static ByteBuffer direct(int n) {
        return ByteBuffer.allocateDirect(n).order(ByteOrder.BIG_ENDIAN);
    }

    static Frame frame(int size) {
        ByteBuffer b = direct(64 + size);
        for (int i = 0; i < size; i++) {
            b.put(64 + i, (byte) i);
        }
        b.putShort(76, (short) Frame.ETHERTYPE_IPV4);
        b.put(78, (byte) 0x45);
        b.put(78 + 20 + 12, (byte) 0x50);
        Frame f = new Frame().set(b, 64, size);
        if (size > 1500) {
            f.offload().set(Offload.FLAG_NEEDS_CSUM, Offload.GSO_TCPV4, 54, 1336, 34, 16);
        } else {
            f.offload().set(Offload.FLAG_NEEDS_CSUM, Offload.GSO_NONE, 0, 0, 34, 16);
        }
        return f;
    }

    /** The floor: the JDK cipher alone on arrays, same size and a fresh nonce per call (NONE: a copy). */
    @Benchmark
    public int rawCipher() throws Exception {
        rawSeq++;
        if (c == DataPlaneCipher.NONE) {
            System.arraycopy(rawIn, 0, rawOut, 0, frameSize);
            return frameSize;
        }
        for (int i = 0; i < 8; i++) {
            rawNonce[4 + i] = (byte) (rawSeq >>> (56 - 8 * i));
        }
        rawCipher.init(
                javax.crypto.Cipher.ENCRYPT_MODE,
                rawKey,
                c == DataPlaneCipher.AES_256_GCM
                        ? new javax.crypto.spec.GCMParameterSpec(128, rawNonce)
                        : new javax.crypto.spec.IvParameterSpec(rawNonce));
        return rawCipher.doFinal(rawIn, 0, frameSize, rawOut, 0);
    }

    javax.crypto.Cipher rawCipher;
    javax.crypto.spec.SecretKeySpec rawKey;
    byte[] rawIn;
    byte[] rawOut;
    final byte[] rawNonce = new byte[12];
    long rawSeq;

    @Benchmark
    public long send() {
        sender.send(ab, A, B, false, frame);
        sender.flush();
        return sink.datagrams;
    }

    @Benchmark
    public void receive(Blackhole bh) {
        if (next == batch) {
            freshReceivingLink(); // a new replay window, so the same messages count again
        }
        ByteBuffer[] ds = datagrams[next];
        int[] ls = lengths[next];
        next++;
        for (int i = 0; i < ds.length; i++) {
            receiver.datagram(ds[i], 0, ls[i], ADDR_A);
        }
        bh.consume(delivered);
    }
}
