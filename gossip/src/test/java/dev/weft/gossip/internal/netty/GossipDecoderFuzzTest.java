package dev.weft.gossip.internal.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.weft.gossip.api.ConnectionInfo;
import dev.weft.gossip.api.GossipException;
import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.api.PeerUid;
import dev.weft.gossip.api.ShortId;
import dev.weft.gossip.internal.topology.PeerRecord;
import dev.weft.gossip.internal.topology.PeerRecordCodec;
import dev.weft.gossip.internal.topology.TopologyDigest;
import dev.weft.gossip.internal.wire.Heartbeat;
import dev.weft.gossip.internal.wire.ProtocolException;
import dev.weft.gossip.internal.wire.WireCodec;
import dev.weft.gossip.spi.Hello;
import dev.weft.gossip.spi.MeshMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Fuzz targets, one per decoder of the mesh protocol: message bodies ({@link WireCodec}), topology
 * records ({@link PeerRecordCodec}), topology digests ({@link TopologyDigest}), membership metadata (MemberCodec), the handshake header, and the whole receive pipeline (framing,
 * handshake, sealing, codec, connection) on an EmbeddedChannel. Inputs are mutants of valid
 * encodings ({@link Mutator}). A decoder may only return a value or throw its own exception
 * (ProtocolException, GossipException); anything else fails the test with the seed and the input
 * in hex. What a decoder accepts must survive a re-encode/decode round trip unchanged.
 *
 * <p>{@code -Dweft.fuzz.seed=N} replays; {@code -Dweft.fuzz.iterations=N} sets the inputs per codec
 * target (default 20,000; the pipeline target, a few ms per input, runs a fiftieth); {@code
 * -Dweft.long=true} runs 1,000,000. {@code bench/gossip-fuzz} runs the long form and prints the counts.
 */
class GossipDecoderFuzzTest {

    private static final long SEED = Long.getLong("weft.fuzz.seed", new SecureRandom().nextLong());
    private static final int ITERATIONS =
            Integer.getInteger("weft.fuzz.iterations", Boolean.getBoolean("weft.long") ? 1_000_000 : 20_000);

    static {
        System.err.println("gossip fuzz seed=" + SEED + " iterations=" + ITERATIONS + " (replay with -Dweft.fuzz.seed="
                + SEED + ")");
    }

    private static PeerName name(long v) {
        return PeerName.of(v);
    }

    static List<Object> sampleMessages() {
        List<Object> out = new ArrayList<>();
        out.add(Heartbeat.INSTANCE);
        out.add(new Hello(name(0x0a0b0c0d0e0fL), new PeerUid(77), "node-1", Optional.of(ShortId.of(12)), 0, Map.of()));
        out.add(new Hello(
                name(3),
                new PeerUid(-5),
                "ñode",
                Optional.empty(),
                0,
                Map.of("port", "6783", "sleeve", "1", "sleeve-port", "6784", "overlays", "fastdp sleeve")));
        out.add(new MeshMessage.Gossip("topology", name(4), new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
        out.add(new MeshMessage.Gossip("IPallocation", name(5), new byte[0]));
        out.add(new MeshMessage.Unicast("IPallocation", name(6), name(7), new byte[] {9, 9, 9}));
        out.add(new MeshMessage.Broadcast("x", name(8), new byte[] {0, 0, 0, 1}));
        out.add(new MeshMessage.OverlayControl(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 2}));
        out.add(new MeshMessage.Refusal(
                MeshMessage.RefusalReason.CONNECTION_LIMIT, "full", List.of("10.0.0.1:6783", "[::1]:6783")));
        out.add(new MeshMessage.Refusal(MeshMessage.RefusalReason.NAME_COLLISION, "peer name collision", List.of()));
        return out;
    }

    static byte[] encode(Object m) {
        ByteBuf b = Unpooled.buffer();
        try {
            WireCodec.encode(m, b);
            byte[] out = new byte[b.readableBytes()];
            b.readBytes(out);
            return out;
        } finally {
            b.release();
        }
    }

    static List<byte[]> sampleRecords() {
        List<byte[]> out = new ArrayList<>();
        InetSocketAddress v4 = new InetSocketAddress("10.1.2.3", 6783);
        InetSocketAddress v6 = new InetSocketAddress("fd00::1", 40000);
        out.add(PeerRecordCodec.encode(name(1), 1, 1, -1, "", List.of(), List.of())
                .encoded());
        out.add(PeerRecordCodec.encode(
                        name(0x020000000001L),
                        123456789,
                        42,
                        7,
                        "host-a",
                        List.of(v4, v6),
                        List.of(
                                new ConnectionInfo(name(2), v4, true, true),
                                new ConnectionInfo(name(3), v6, false, false),
                                new ConnectionInfo(name(4), null, true, false)))
                .encoded());
        return out;
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Test
    void messageBodies() {
        List<byte[]> corpus = new ArrayList<>();
        for (Object m : sampleMessages()) {
            corpus.add(encode(m));
        }
        Mutator mutator = new Mutator(SEED, corpus);
        int accepted = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] input = mutator.next();
            ByteBuf b = Unpooled.wrappedBuffer(input);
            Object m;
            try {
                m = WireCodec.decode(b);
            } catch (ProtocolException e) {
                continue;
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + SEED + " input " + i + " " + hex(input) + ": " + e, e);
            }
            accepted++;
            byte[] again = encode(m);
            Object m2 = WireCodec.decode(Unpooled.wrappedBuffer(again));
            if (!Arrays.equals(again, encode(m2))) {
                fail("seed %d input %s: the decoded message does not round-trip", SEED, hex(input));
            }
        }
        System.err.println("fuzz messageBodies: inputs=" + ITERATIONS + " accepted=" + accepted);
        assertThat(accepted)
                .as("some mutants stay valid, so the decoders' accept paths are fuzzed too")
                .isPositive();
    }

    @Test
    void topologyRecords() {
        Mutator mutator = new Mutator(SEED + 1, sampleRecords());
        int accepted = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] input = mutator.next();
            PeerRecord r;
            try {
                r = PeerRecordCodec.decode(input);
            } catch (GossipException e) {
                continue;
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + SEED + " input " + i + " " + hex(input) + ": " + e, e);
            }
            accepted++;
            try {
                // Every accessor of an accepted record works, and what it says survives a re-encode
                // (not byte for byte: "no address" entries and bad UTF-8 are canonicalised).
                List<ConnectionInfo> cs = r.connections();
                r.adjacency();
                PeerRecord again = PeerRecordCodec.decode(PeerRecordCodec.encode(
                                r.name(), r.uid(), r.version(), r.shortId(), r.nickname(), r.advertisedAddresses(), cs)
                        .encoded());
                assertThat(again.connections()).isEqualTo(cs);
                assertThat(again.advertisedAddresses()).isEqualTo(r.advertisedAddresses());
                assertThat(List.of(again.name(), again.uid(), again.version(), again.shortId(), again.nickname()))
                        .isEqualTo(List.of(r.name(), r.uid(), r.version(), r.shortId(), r.nickname()));
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + SEED + " accepted input " + hex(input) + ": " + e, e);
            }
        }
        System.err.println("fuzz topologyRecords: inputs=" + ITERATIONS + " accepted=" + accepted);
        assertThat(accepted).isPositive();
    }

    @Test
    void topologyDigests() {
        List<byte[]> corpus = List.of(
                TopologyDigest.ofEntries(false, new long[0], new long[0], new long[0])
                        .encode(),
                TopologyDigest.ofEntries(true, new long[] {1, 0x020000000001L}, new long[] {5, -1}, new long[] {1, 0})
                        .encode(),
                TopologyDigest.ofEntries(
                                false, new long[] {3, 4, 0xFFFFFFFFFFFFL}, new long[] {1, 2, 3}, new long[] {7, -7, 9})
                        .encode());
        Mutator mutator = new Mutator(SEED + 6, corpus);
        int accepted = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] input = mutator.next();
            TopologyDigest d;
            try {
                d = TopologyDigest.decode(input);
            } catch (GossipException e) {
                continue;
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + SEED + " input " + i + " " + hex(input) + ": " + e, e);
            }
            accepted++;
            // Canonical: what is accepted re-encodes to the very same bytes.
            assertThat(d.encode()).as("round trip of %s", hex(input)).isEqualTo(input);
        }
        System.err.println("fuzz topologyDigests: inputs=" + ITERATIONS + " accepted=" + accepted);
        assertThat(accepted).isPositive();
    }

    @Test
    void handshakeHeaders() {
        List<byte[]> corpus = new ArrayList<>();
        for (boolean enc : new boolean[] {false, true}) {
            HandshakeHeader h = new HandshakeHeader(1, 3, enc, 0x1122334455667788L, enc ? new byte[32] : null);
            ByteBuf b = Unpooled.buffer();
            h.write(b);
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            b.release();
            corpus.add(bytes);
        }
        Mutator mutator = new Mutator(SEED + 2, corpus);
        int accepted = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] input = mutator.next();
            ByteBuf b = Unpooled.wrappedBuffer(input);
            try {
                HandshakeHeader h = HandshakeHeader.read(b);
                if (h == null) {
                    assertThat(b.readerIndex())
                            .as("nothing consumed until complete")
                            .isZero();
                } else {
                    accepted++;
                    assertThat(b.readerIndex()).isEqualTo(h.size());
                    assertThat(h.minVersion()).isBetween(1, h.maxVersion());
                }
            } catch (ProtocolException e) {
                // refused
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + SEED + " input " + i + " " + hex(input) + ": " + e, e);
            }
        }
        System.err.println("fuzz handshakeHeaders: inputs=" + ITERATIONS + " accepted=" + accepted);
        assertThat(accepted).isPositive();
    }

    @Test
    void membershipMetadata() {
        List<byte[]> corpus = List.of(
                dev.weft.gossip.internal.wire.MemberCodec.encode(new dev.weft.gossip.spi.Membership.Member(
                        name(0x020000000009L), new PeerUid(9), "node-9", new InetSocketAddress("10.0.0.9", 6783))),
                dev.weft.gossip.internal.wire.MemberCodec.encode(new dev.weft.gossip.spi.Membership.Member(
                        name(7), new PeerUid(-1), "", new InetSocketAddress("fd00::9", 6783))),
                dev.weft.gossip.internal.wire.MemberCodec.encode(new dev.weft.gossip.spi.Membership.Member(
                        name(8), new PeerUid(3), "wild", new InetSocketAddress("0.0.0.0", 6783))));
        Mutator mutator = new Mutator(SEED + 5, corpus);
        int accepted = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] input = mutator.next();
            dev.weft.gossip.spi.Membership.Member m;
            try {
                m = dev.weft.gossip.internal.wire.MemberCodec.decode(input, "10.9.9.9");
            } catch (ProtocolException e) {
                continue;
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + SEED + " input " + i + " " + hex(input) + ": " + e, e);
            }
            accepted++;
            assertThat(m.meshAddress().isUnresolved())
                    .as("never a name to resolve: %s", hex(input))
                    .isFalse();
            if (!m.nickname().contains("\uFFFD")) {
                assertThat(dev.weft.gossip.internal.wire.MemberCodec.decode(
                                dev.weft.gossip.internal.wire.MemberCodec.encode(m), "10.9.9.9"))
                        .isEqualTo(m);
            }
        }
        System.err.println("fuzz membershipMetadata: inputs=" + ITERATIONS + " accepted=" + accepted);
        assertThat(accepted).isPositive();
    }

    /**
     * The whole receive side of an unencrypted connection, so mutated bytes reach every decoder in
     * order: a valid header and hello, then mutated frame streams (several frames, split at random
     * points). The channel must either carry on or close with a reason; nothing may escape the
     * pipeline, and (paranoid leak detection) no buffer may leak.
     */
    @Test
    void wholeReceivePipeline() {
        List<byte[]> corpus = new ArrayList<>();
        List<Object> messages = sampleMessages();
        for (int i = 0; i < messages.size(); i++) {
            // A stream: hello first, then two other messages, each framed.
            corpus.add(concat(
                    frame(encode(messages.get(1))),
                    frame(encode(messages.get(i))),
                    frame(encode(messages.get((i + 3) % messages.size())))));
        }
        Mutator mutator = new Mutator(SEED + 3, corpus);
        java.util.SplittableRandom split = new java.util.SplittableRandom(SEED + 4);
        byte[] header = {'w', 'e', 'f', 't', 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 9};
        int runs = Math.max(500, ITERATIONS / 50);
        int survived = 0;
        for (int i = 0; i < runs; i++) {
            byte[] input = mutator.next();
            Wire.Events events = new Wire.Events();
            EmbeddedChannel a = Wire.channel(Wire.config(null), 2, false, events);
            try {
                a.writeInbound(Unpooled.wrappedBuffer(header));
                int cut = input.length == 0 ? 0 : split.nextInt(input.length + 1);
                a.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(input, 0, cut)));
                if (a.isOpen()) {
                    a.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(input, cut, input.length)));
                }
                a.runPendingTasks();
                a.checkException();
                if (a.isOpen()) {
                    survived++;
                } else {
                    assertThat(events.failures.size() + events.connected.size()).isPositive();
                }
                releaseAll(a);
                a.close();
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError("seed " + SEED + " run " + i + " " + hex(input) + ": " + e, e);
            }
        }
        System.err.println("fuzz wholeReceivePipeline: inputs=" + runs + " still-open=" + survived);
    }

    private static void releaseAll(EmbeddedChannel ch) {
        for (Object o = ch.readOutbound(); o != null; o = ch.readOutbound()) {
            io.netty.util.ReferenceCountUtil.release(o);
        }
        for (Object o = ch.readInbound(); o != null; o = ch.readInbound()) {
            io.netty.util.ReferenceCountUtil.release(o);
        }
    }

    private static byte[] frame(byte[] body) {
        byte[] f = new byte[4 + body.length];
        f[0] = (byte) (body.length >>> 24);
        f[1] = (byte) (body.length >>> 16);
        f[2] = (byte) (body.length >>> 8);
        f[3] = (byte) body.length;
        System.arraycopy(body, 0, f, 4, body.length);
        return f;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
