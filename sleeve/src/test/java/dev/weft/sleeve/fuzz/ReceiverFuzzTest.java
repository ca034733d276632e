package dev.weft.sleeve.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.gossip.spi.SessionKey;
import dev.weft.sleeve.api.DataPlaneCipher;
import dev.weft.sleeve.api.Frame;
import dev.weft.sleeve.api.Lane;
import dev.weft.sleeve.api.Offload;
import dev.weft.sleeve.api.PeerMap;
import dev.weft.sleeve.internal.engine.ControlEvents;
import dev.weft.sleeve.internal.engine.CopyingSink;
import dev.weft.sleeve.internal.engine.DataLane;
import dev.weft.sleeve.internal.engine.DropCounters;
import dev.weft.sleeve.internal.engine.Heartbeats;
import dev.weft.sleeve.internal.engine.Receiver;
import dev.weft.sleeve.internal.engine.SleeveLink;
import dev.weft.sleeve.internal.engine.UdpAddress;
import dev.weft.sleeve.internal.wire.DatagramHeader;
import dev.weft.sleeve.internal.wire.FrameRecord;
import dev.weft.sleeve.spi.FrameHandler;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A seeded mutation fuzzer for the sleeve decoder (Jazzer 0.24 cannot instrument Java 25 class
 * files, so coverage guidance is out): real datagrams of every kind — bundled small frames, a
 * fragmented offloaded super-frame, heartbeats, probes, for plain, AES-GCM and ChaCha20-Poly1305
 * links — are mutated (bit flips, header fields set to boundary values, truncation, extension,
 * splices of two datagrams, reordering) and fed to a receiver. The plain link lets mutated records
 * reach the record parser. Any exception fails with the seed and the input in hex; every frame
 * handed on must lie inside its buffer. {@code -Dweft.fuzz.seed=N} replays; {@code
 * -Dweft.long=true} runs 50x longer.
 */
class ReceiverFuzzTest {
    private static final int ITERATIONS = Boolean.getBoolean("weft.long") ? 2_500_000 : 50_000;
    static final long SELF = 0x0b0000000002L;
    static final long PLAIN = 0x0a0000000001L;
    static final long AES = 0x0a0000000003L;
    static final long CHACHA = 0x0a0000000004L;
    static final long FROM = UdpAddress.of(0x0a000001, 6783);
    static final SessionKey KEY = new SessionKey(new byte[32]);

    static final ControlEvents EVENTS = new ControlEvents() {
        @Override
        public void heartbeat(SleeveLink link, long from) {}

        @Override
        public void probe(SleeveLink link, int datagramLength) {}
    };

    /** Keeps every datagram the lanes send. */
    static final class Capture extends CopyingSink {
        final List<byte[]> datagrams = new ArrayList<>();

        @Override
        protected void datagram(long remote, ByteBuffer datagram) {
            datagrams.add(datagram.array());
        }

        @Override
        public void flush() {}
    }

    static final class Checking implements FrameHandler {
        long frames;

        @Override
        public void captured(Lane lane, Frame frame) {}

        @Override
        public void received(Lane lane, long fromPeer, long srcPeer, long dstPeer, boolean flood, Frame frame) {
            if (frame.length() < FrameRecord.MIN_FRAME
                    || frame.length() > FrameRecord.MAX_FRAME
                    || frame.offset() < Frame.HEADROOM
                    || frame.offset() + frame.length() > frame.buffer().capacity()) {
                throw new AssertionError("frame outside its buffer: " + frame);
            }
            frame.dstMac();
            frame.isIpv4();
            frame.largestIpPacket();
            frames++;
        }
    }

    static SleeveLink link(long self, long peer, DataPlaneCipher c) {
        return new SleeveLink(self, peer, 1, c, c.encrypts() ? KEY : null, FROM, 1500, ByteBuffer::allocate, EVENTS);
    }

    /** Real datagrams from the three senders. */
    static List<byte[]> corpus() {
        Capture cap = new Capture();
        for (long peer : new long[] {PLAIN, AES, CHACHA}) {
            DataPlaneCipher c = peer == PLAIN
                    ? DataPlaneCipher.NONE
                    : peer == AES ? DataPlaneCipher.AES_256_GCM : DataPlaneCipher.CHACHA20_POLY1305;
            SleeveLink out = link(peer, SELF, c);
            DataLane lane = new DataLane(DataLane.TX, cap, new DropCounters(), 4, ByteBuffer::allocate);
            for (int size : new int[] {60, 100, 400}) {
                lane.send(out, peer, SELF, size == 100, frame(size, false));
            }
            lane.flush();
            lane.send(out, peer, 0x0c0000000005L, false, frame(9000, true));
            lane.flush();
            Heartbeats hb = new Heartbeats(lane, ByteBuffer.allocate(DatagramHeader.MAX_SEALED));
            hb.sendHeartbeat(out);
            hb.sendProbe(out, 600);
        }
        return cap.datagrams;
    }

    static Frame frame(int size, boolean offload) {
        ByteBuffer b = ByteBuffer.allocate(64 + size);
        for (int i = 0; i < size; i++) {
            b.put(64 + i, (byte) (i * 31));
        }
        b.putShort(76, (short) Frame.ETHERTYPE_IPV4).put(78, (byte) 0x45);
        Frame f = new Frame().set(b, 64, size);
        if (offload) {
            f.offload().set(Offload.FLAG_NEEDS_CSUM, Offload.GSO_TCPV4, 54, 1300, 34, 16);
        } else {
            f.offload().clear();
        }
        return f;
    }

    static byte[] mutate(byte[] in, List<byte[]> corpus, Random r) {
        byte[] d = in.clone();
        int rounds = 1 + r.nextInt(4);
        for (int k = 0; k < rounds; k++) {
            switch (r.nextInt(7)) {
                case 0 -> { // bit flips anywhere
                    if (d.length > 0) {
                        int i = r.nextInt(d.length);
                        d[i] ^= (byte) (1 << r.nextInt(8));
                    }
                }
                case 1 -> { // a header field set to a boundary value
                    int[] fields = {0, 1, 2, 3, 10, 11, 12, 13, 14, 15, 16, 23};
                    int i = fields[r.nextInt(fields.length)];
                    if (i < d.length) {
                        byte[] values = {0, 1, (byte) 0x7f, (byte) 0x80, (byte) 0xff, 8, 24};
                        d[i] = values[r.nextInt(values.length)];
                    }
                }
                case 2 -> d = java.util.Arrays.copyOf(d, r.nextInt(d.length + 1)); // truncate
                case 3 -> d = java.util.Arrays.copyOf(d, d.length + r.nextInt(64)); // extend with zeros
                case 4 -> { // splice with another datagram
                    byte[] o = corpus.get(r.nextInt(corpus.size()));
                    int cut = r.nextInt(Math.min(d.length, o.length) + 1);
                    byte[] s = java.util.Arrays.copyOf(d, o.length);
                    System.arraycopy(o, cut, s, cut, o.length - cut);
                    d = s;
                }
                case 5 -> { // a record field in a plain message (record headers start at 24)
                    int[] fields = {36, 37, 38, 39, 40, 41};
                    int i = fields[r.nextInt(fields.length)];
                    if (i < d.length) {
                        d[i] = (byte) r.nextInt(256);
                    }
                }
                default -> { // random bytes in the payload
                    if (d.length > 24) {
                        int i = 24 + r.nextInt(d.length - 24);
                        d[i] = (byte) r.nextInt(256);
                    }
                }
            }
        }
        return d;
    }

    @Test
    void mutatedDatagramsAreDroppedOrDeliveredAndNeverThrow() {
        long seed = Long.getLong("weft.fuzz.seed", new Random().nextLong());
        Random r = new Random(seed);
        List<byte[]> corpus = corpus();
        assertThat(corpus).hasSizeGreaterThan(20);
        Checking handler = new Checking();
        DropCounters drops = new DropCounters();
        Receiver receiver = null;
        for (int i = 0; i < ITERATIONS; i++) {
            if (i % 500 == 0) { // fresh links now and then, so the replay windows do not shut everything out
                PeerMap<SleeveLink> links = PeerMap.<SleeveLink>empty()
                        .with(PLAIN, link(SELF, PLAIN, DataPlaneCipher.NONE))
                        .with(AES, link(SELF, AES, DataPlaneCipher.AES_256_GCM))
                        .with(CHACHA, link(SELF, CHACHA, DataPlaneCipher.CHACHA20_POLY1305));
                DataLane lane = new DataLane(DataLane.RX, new Capture(), drops, 2, ByteBuffer::allocate);
                receiver = new Receiver(() -> links, lane, handler, drops, ByteBuffer::allocate);
            }
            byte[] input = r.nextInt(10) == 0
                    ? corpus.get(r.nextInt(corpus.size()))
                    : mutate(corpus.get(r.nextInt(corpus.size())), corpus, r);
            ByteBuffer b = ByteBuffer.allocate(input.length + 32);
            b.put(32, input);
            try {
                receiver.datagram(b, 32, input.length, r.nextInt(8) == 0 ? UdpAddress.of(9, 9) : FROM);
                receiver.lane().flush();
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError(
                        "seed " + seed + " iteration " + i + ": " + e + " on "
                                + HexFormat.of().formatHex(input),
                        e);
            }
        }
        // the fuzzer reached both outcomes: frames delivered and datagrams dropped
        assertThat(handler.frames).isPositive();
        assertThat(drops.snapshot().values().stream().mapToLong(Long::longValue).sum())
                .isPositive();
    }
}
