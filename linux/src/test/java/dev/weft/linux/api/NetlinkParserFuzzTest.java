package dev.weft.linux.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A seeded mutation fuzzer for the netlink parsers: real kernel replies (links of every kind we
 * make, addresses, routes, neighbours, FDB entries, genl families) are mutated (bit flips, length
 * fields overwritten, truncation, splices) and fed to every parser. The only acceptable failure is
 * {@link MalformedMessageException}; anything else (IndexOutOfBounds, IllegalArgument, ...) fails
 * with the seed and the input in hex. {@code -Dweft.fuzz.seed=N} replays; {@code -Dweft.long=true}
 * runs 100x longer.
 */
class NetlinkParserFuzzTest {
    private static final int ITERATIONS = Boolean.getBoolean("weft.long") ? 5_000_000 : 50_000;

    @Test
    void parsersRejectCorruptedKernelRepliesOnlyWithMalformedMessageException() throws Exception {
        long seed = Long.getLong("weft.fuzz.seed", System.nanoTime());
        Random random = new Random(seed);
        List<byte[]> corpus = corpus();
        assertThat(corpus).hasSizeGreaterThan(10);
        int rejected = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] input = mutate(corpus.get(random.nextInt(corpus.size())), random);
            try {
                rejected += parseEverything(input) ? 0 : 1;
            } catch (RuntimeException | StackOverflowError e) {
                throw new AssertionError(
                        "seed " + seed + " iteration " + i + ": " + e + " on "
                                + HexFormat.of().formatHex(input),
                        e);
            }
        }
        // The mutations must actually reach the checks, or this test proves nothing.
        assertThat(rejected)
                .as("inputs rejected as malformed (seed " + seed + ")")
                .isGreaterThan(ITERATIONS / 10);
    }

    /** Parses a datagram like the socket does, with every parser; false if it was rejected. */
    private static final ByteBuffer SCRATCH = ByteBuffer.allocateDirect(1 << 16).order(ByteOrder.nativeOrder());

    static boolean parseEverything(byte[] input) {
        ByteBuffer b = SCRATCH.clear().put(input).flip();
        try {
            for (int off = 0; off < input.length; ) {
                NetlinkMessage m = NetlinkMessage.at(b, off, input.length - off);
                int type = m.type();
                for (int t : new int[] {16, 20, 24, 28}) {
                    b.putShort(off + 4, (short) t);
                    switch (t) {
                        case 16 -> Links.parse(m);
                        case 20 -> Addresses.parse(m);
                        case 24 -> Routes.parse(m);
                        default -> Neighbours.parse(m);
                    }
                }
                b.putShort(off + 4, (short) type);
                GenericNetlink.parseFamily(m);
                walk(m.attributes(0), 0);
                off += Netlink.align(m.length());
            }
            return true;
        } catch (MalformedMessageException e) {
            assertThat(e.getMessage()).isNotBlank();
            return false;
        }
    }

    /** Reads every attribute every way, descending into anything that parses as nested. */
    private static void walk(Attributes a, int depth) {
        while (a.next()) {
            a.type();
            a.string();
            a.bytes();
            if (a.length() >= 4) {
                a.u32();
            }
            if (depth < 4) {
                try {
                    walk(a.nested(), depth + 1);
                } catch (MalformedMessageException e) {
                    // not nested after all: fine
                }
            }
        }
    }

    private static byte[] mutate(byte[] original, Random r) {
        byte[] b = original.clone();
        int n = 1 + r.nextInt(4);
        for (int k = 0; k < n && b.length > 0; k++) {
            switch (r.nextInt(6)) {
                case 0 -> b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[r.nextInt(b.length)] = (byte) (r.nextBoolean() ? 0 : 0xff);
                case 2 -> { // a 16-bit field at an aligned offset: attribute lengths live there
                    int at = (r.nextInt(b.length) & ~3) + (r.nextBoolean() ? 0 : 2);
                    if (at + 1 < b.length) {
                        int v = r.nextInt(4) == 0 ? r.nextInt(8) : r.nextInt(0x10000);
                        b[at] = (byte) v;
                        b[at + 1] = (byte) (v >>> 8);
                    }
                }
                case 3 -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length + 1));
                case 4 -> { // splice a chunk of the message over another place
                    int from = r.nextInt(b.length);
                    int to = r.nextInt(b.length);
                    int len = Math.min(r.nextInt(32), Math.min(b.length - from, b.length - to));
                    System.arraycopy(b.clone(), from, b, to, len);
                }
                default -> { // keep the header length consistent so the attributes get parsed
                    if (b.length >= 4) {
                        int len = r.nextBoolean() ? b.length : r.nextInt(b.length + 8);
                        b[0] = (byte) len;
                        b[1] = (byte) (len >>> 8);
                        b[2] = 0;
                        b[3] = 0;
                    }
                }
            }
        }
        return b;
    }

    /** Real replies from the kernel when root; otherwise (and also) messages our writer builds. */
    private static List<byte[]> corpus() throws Exception {
        List<byte[]> out = new ArrayList<>();
        MessageWriter w = new MessageWriter(256);
        w.begin(16, 0).putU32(0).putU32(3).putU32(0x1043).putU32(0);
        w.attrString(3, "vx0").attrU32(4, 1450).attrBytes(1, new byte[] {2, 0, 0, 0, 0, 1});
        int info = w.beginNestedPlain(18);
        w.attrString(1, "vxlan");
        int data = w.beginNestedPlain(2);
        w.attrU32(1, 42)
                .attrU16Be(15, 4789)
                .attrAddress(4, InetAddress.getByName("10.0.0.1"))
                .attrU8(7, 0);
        w.endNested(data);
        w.endNested(info);
        out.add(bytes(w));
        if (!TestNamespaces.isRoot()) {
            return out;
        }
        try (TestNamespaces t = new TestNamespaces()) {
            NetNs ns = t.create("fuzz");
            try (RtNetlink rt = RtNetlink.open(ns)) {
                rt.links().create(LinkSpec.bridge("br0").up());
                rt.links()
                        .create(LinkSpec.veth("v0", "v1")
                                .master(rt.links().get("br0").index()));
                rt.links().create(LinkSpec.vxlan("vx0", VxlanInfo.of(42).withLocal(InetAddress.getByName("10.0.0.1"))));
                int vx = rt.links().get("vx0").index();
                rt.links().setUp("vx0");
                rt.links().setUp("v0");
                rt.addresses().add(vx, IpPrefix.parse("10.9.0.1/24"));
                rt.addresses().add(vx, IpPrefix.parse("fd09::1/64"));
                rt.neighbours().fdbAppend(vx, MacAddress.ZERO, InetAddress.getByName("10.0.0.2"));
                rt.neighbours().replace(vx, InetAddress.getByName("10.9.0.7"), MacAddress.parse("02:00:00:00:00:07"));
                rt.routes().add(Route.to(IpPrefix.parse("10.8.0.0/16")).via(InetAddress.getByName("10.9.0.7")));
            }
            try (NetlinkSocket s = ns.call(() -> NetlinkSocket.open(Netlink.ROUTE))) {
                for (int[] req : new int[][] {{18, 16}, {22, 8}, {26, 12}, {30, 12}}) {
                    MessageWriter d = s.writer().begin(req[0], 0).putZeros(req[1]);
                    s.dump(d, m -> out.add(copy(m)), "corpus");
                }
            }
            try (GenericNetlink genl = GenericNetlink.open(ns)) {
                genl.dump(0x10, 3, 1, 0, x -> {}, m -> out.add(copy(m)), "corpus");
            }
        }
        return out;
    }

    private static byte[] copy(NetlinkMessage m) {
        byte[] b = new byte[m.length()];
        m.buffer().get(m.payloadOffset() - Netlink.HEADER_LENGTH, b);
        return b;
    }

    private static byte[] bytes(MessageWriter w) {
        ByteBuffer b = w.finish();
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }
}
