package dev.weft.linux.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A TAP port on a bridge with a "pod" namespace behind it, as sleeve uses it. */
class TapTest {
    private static final MacAddress TAP_PEER_MAC = MacAddress.parse("02:00:00:00:7a:01");
    private static final MacAddress POD_MAC = MacAddress.parse("02:00:00:00:7a:02");
    private static final MacAddress REMOTE_MAC = MacAddress.parse("02:00:00:00:7a:03");

    @Test
    void tapOnABridgeReceivesAFrameFromANamespaceBehindItAndInjectsOneBack() throws Exception {
        try (TestNamespaces t = new TestNamespaces()) {
            NetNs node = t.create("node");
            NetNs pod = t.create("pod");
            RtNetlink rn = t.closeLater(RtNetlink.open(node));
            RtNetlink rp = t.closeLater(RtNetlink.open(pod));
            Tap tap = t.closeLater(node.call(() -> Tap.open(TapConfig.named("wtap0"))));
            assertThat(tap.name()).isEqualTo("wtap0");
            plumb(rn, pod, rp, tap.name());

            // The pod broadcasts a datagram; the bridge floods it to the TAP.
            DatagramChannel podSocket = t.closeLater(pod.call(() -> DatagramChannel.open(StandardProtocolFamily.INET)
                    .bind(new InetSocketAddress(InetAddress.getByName("10.201.0.2"), 5555))));
            podSocket.setOption(StandardSocketOptions.SO_BROADCAST, true);
            podSocket.send(
                    ByteBuffer.wrap("hello tap".getBytes(StandardCharsets.UTF_8)),
                    new InetSocketAddress(InetAddress.getByName("10.201.0.255"), 7777));

            ByteBuffer frame = ByteBuffer.allocateDirect(2048);
            int len = readUntil(tap, frame, f -> udpPayload(f, 7777) != null);
            assertThat(len).isGreaterThan(14 + 20 + 8);
            assertThat(mac(frame, 0)).isEqualTo(MacAddress.BROADCAST);
            assertThat(mac(frame, 6)).isEqualTo(POD_MAC);
            assertThat(udpPayload(frame, 7777)).isEqualTo("hello tap");

            // The TAP injects a unicast UDP frame to the pod (from a "remote pod" MAC, as sleeve
            // does); the pod's socket receives it. The kernel queues injected frames on a per-CPU
            // backlog shared with everything else on this machine, so a frame lost under load is
            // sent again (at most 3 times): a systematic failure still fails.
            ByteBuffer out = ByteBuffer.allocateDirect(2048);
            podSocket.configureBlocking(false);
            ByteBuffer got = ByteBuffer.allocate(100);
            InetSocketAddress from = null;
            try (java.nio.channels.Selector s = java.nio.channels.Selector.open()) {
                podSocket.register(s, java.nio.channels.SelectionKey.OP_READ);
                for (int attempt = 0; attempt < 3 && from == null; attempt++) {
                    buildUdpFrame(out, POD_MAC, REMOTE_MAC, "10.201.0.1", "10.201.0.2", 4444, 5555, "from the tap");
                    int written = tap.write(out);
                    assertThat(written).isEqualTo(out.limit());
                    assertThat(out.hasRemaining()).isFalse();
                    if (s.select(3000) > 0) {
                        from = (InetSocketAddress) podSocket.receive(got);
                    }
                }
            }
            assertThat(from).as("the injected frame reached the pod's socket").isNotNull();
            assertThat(from.getPort()).isEqualTo(4444);
            assertThat(new String(got.array(), 0, got.position(), StandardCharsets.UTF_8))
                    .isEqualTo("from the tap");
        }
    }

    @Test
    void vnetHeaderBatchReadsMultiQueueAndErrors() throws Exception {
        try (TestNamespaces t = new TestNamespaces()) {
            NetNs node = t.create("vnet");
            NetNs pod = t.create("vpod");
            RtNetlink rn = t.closeLater(RtNetlink.open(node));
            RtNetlink rp = t.closeLater(RtNetlink.open(pod));
            TapConfig cfg = TapConfig.named("wtap1")
                    .withVnetHeader(12, TapConfig.CSUM | TapConfig.TSO4 | TapConfig.TSO6)
                    .withMultiQueue();
            Tap q0 = t.closeLater(node.call(() -> Tap.open(cfg)));
            Tap q1 = t.closeLater(node.call(() -> Tap.open(cfg)));
            assertThat(q1.name()).isEqualTo(q0.name());
            assertThatThrownBy(() -> node.call(() -> Tap.open(TapConfig.named("wtap1"))))
                    .isInstanceOf(KernelException.class)
                    .hasMessageStartingWith("create tap wtap1: ");
            plumb(rn, pod, rp, "wtap1");

            DatagramChannel podSocket = t.closeLater(pod.call(() -> DatagramChannel.open(StandardProtocolFamily.INET)
                    .bind(new InetSocketAddress(InetAddress.getByName("10.201.0.2"), 0))));
            podSocket.setOption(StandardSocketOptions.SO_BROADCAST, true);
            for (int i = 0; i < 3; i++) {
                podSocket.send(
                        ByteBuffer.wrap(("batch " + i).getBytes(StandardCharsets.UTF_8)),
                        new InetSocketAddress(InetAddress.getByName("10.201.0.255"), 7778));
            }
            // The kernel spreads flows over the queues: collect from both, header and frame apart.
            ByteBuffer header = ByteBuffer.allocateDirect(12).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer frame = ByteBuffer.allocateDirect(65536);
            int found = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (found < 3 && System.nanoTime() < deadline) {
                for (Tap q : new Tap[] {q0, q1}) {
                    if (!q.awaitReadable(Duration.ofMillis(50))) {
                        continue;
                    }
                    header.clear();
                    frame.clear();
                    int n = q.read(header, frame);
                    assertThat(header.position()).isEqualTo(12);
                    assertThat(n).isEqualTo(frame.position());
                    frame.flip();
                    if (udpPayload(frame, 7778) != null) {
                        assertThat(VirtioNetHeader.gsoType(header, 0)).isEqualTo(VirtioNetHeader.GSO_NONE);
                        found++;
                    }
                }
            }
            assertThat(found).isEqualTo(3);

            // Writing with a vnet header: a UDP frame whose checksum field holds garbage but whose
            // header says NEEDS_CSUM reaches the pod. Were the header ignored, the bytes would be
            // misparsed or the bad checksum dropped.
            int podPort = ((InetSocketAddress) podSocket.getLocalAddress()).getPort();
            ByteBuffer out = ByteBuffer.allocateDirect(2048);
            ByteBuffer vnet = ByteBuffer.allocateDirect(12).order(ByteOrder.LITTLE_ENDIAN);
            podSocket.configureBlocking(false);
            ByteBuffer got = ByteBuffer.allocate(100);
            String text = null;
            try (java.nio.channels.Selector sel = java.nio.channels.Selector.open()) {
                podSocket.register(sel, java.nio.channels.SelectionKey.OP_READ);
                for (int attempt = 0; attempt < 3 && text == null; attempt++) {
                    buildUdpFrame(out, POD_MAC, REMOTE_MAC, "10.201.0.1", "10.201.0.2", 4444, podPort, "offloaded");
                    out.putShort(14 + 20 + 6, (short) 0x1234); // not the checksum
                    vnet.clear();
                    VirtioNetHeader.write(vnet, 0, VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_NONE, 0, 0, 34, 6);
                    assertThat(q0.write(vnet, out)).isEqualTo(12 + out.limit());
                    if (sel.select(3000) > 0) {
                        podSocket.receive(got);
                        text = new String(got.array(), 0, got.position(), StandardCharsets.UTF_8);
                    }
                }
            }
            assertThat(text).isEqualTo("offloaded");

            // Batch read on a plain TAP: one blocking read, then what is queued.
            Tap plain = t.closeLater(node.call(() -> Tap.open(TapConfig.named("wtap2"))));
            rn.links().setMaster("wtap2", "br0");
            rn.links().setUp("wtap2");
            for (int i = 0; i < 4; i++) {
                podSocket.send(
                        ByteBuffer.wrap(("more " + i).getBytes(StandardCharsets.UTF_8)),
                        new InetSocketAddress(InetAddress.getByName("10.201.0.255"), 7779));
            }
            ByteBuffer[] bufs = new ByteBuffer[8];
            for (int i = 0; i < bufs.length; i++) {
                bufs[i] = ByteBuffer.allocateDirect(2048);
            }
            int frames = plain.readBatch(bufs, 0, bufs.length);
            assertThat(frames).isBetween(1, 8);
            for (int i = 0; i < frames; i++) {
                assertThat(bufs[i].position()).isGreaterThanOrEqualTo(14);
            }
            assertThatThrownBy(() -> plain.read(ByteBuffer.allocate(10)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("direct");
        }
    }

    @Test
    void blockedReaderIsWokenAndClosedCleanly() throws Exception {
        try (TestNamespaces t = new TestNamespaces()) {
            NetNs node = t.create("wake");
            Tap tap = node.call(() -> Tap.open(TapConfig.named("wtap3")));
            ByteBuffer buf = ByteBuffer.allocateDirect(2048);
            // The device is down: nothing arrives, so the reader blocks until woken.
            CompletableFuture<Integer> woken = CompletableFuture.supplyAsync(() -> tap.read(buf));
            tap.wakeup();
            assertThat(woken.get(5, TimeUnit.SECONDS)).isZero();
            assertThat(tap.tryRead(buf)).isZero();
            CompletableFuture<Integer> closed = CompletableFuture.supplyAsync(() -> tap.read(buf));
            tap.close();
            assertThat(closed.get(5, TimeUnit.SECONDS)).isEqualTo(-1);
            assertThat(tap.read(buf)).isEqualTo(-1);
            tap.close(); // idempotent
            try (RtNetlink rt = RtNetlink.open(node)) {
                assertThat(rt.links().find("wtap3"))
                        .as("a non-persistent TAP goes with its fd")
                        .isEmpty();
            }
        }
    }

    /** node: bridge br0 with the TAP and veth "v0" as ports; pod: its peer "eth0", 10.201.0.2/24. */
    private static void plumb(RtNetlink rn, NetNs pod, RtNetlink rp, String tapName) {
        rn.links().create(LinkSpec.bridge("br0").up());
        int br = rn.links().get("br0").index();
        rn.links().setMac(tapName, TAP_PEER_MAC);
        rn.links().setMaster(tapName, br);
        rn.links().setUp(tapName);
        rn.links().create(LinkSpec.veth("v0", "eth0").peerNetNs(pod).master(br).up());
        Link eth0 = rp.links().get("eth0");
        rp.links().setMac("eth0", POD_MAC);
        rp.addresses().add(eth0.index(), IpPrefix.parse("10.201.0.2/24"));
        rp.links().setUp("eth0");
        rp.links().setUp("lo");
    }

    static int readUntil(Tap tap, ByteBuffer frame, java.util.function.Predicate<ByteBuffer> wanted) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (!tap.awaitReadable(Duration.ofMillis(100))) {
                continue;
            }
            frame.clear();
            int n = tap.read(frame);
            frame.flip();
            if (n > 0 && wanted.test(frame)) {
                return n;
            }
        }
        throw new AssertionError("no matching frame on " + tap + " within 5 s");
    }

    static MacAddress mac(ByteBuffer f, int at) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | (f.get(at + i) & 0xff);
        }
        return new MacAddress(v);
    }

    /** The payload of an IPv4/UDP frame to {@code port}, or null. */
    static String udpPayload(ByteBuffer f, int port) {
        if (f.limit() < 42 || f.getShort(12) != 0x0800 || f.get(23) != 17) {
            return null;
        }
        int ihl = (f.get(14) & 0x0f) * 4;
        int udp = 14 + ihl;
        if ((f.getShort(udp + 2) & 0xffff) != port) {
            return null;
        }
        int len = (f.getShort(udp + 4) & 0xffff) - 8;
        byte[] b = new byte[len];
        f.get(udp + 8, b);
        return new String(b, StandardCharsets.UTF_8);
    }

    static void buildUdpFrame(
            ByteBuffer out,
            MacAddress dst,
            MacAddress src,
            String srcIp,
            String dstIp,
            int sport,
            int dport,
            String text)
            throws Exception {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        out.clear();
        out.put(dst.toBytes()).put(src.toBytes()).putShort((short) 0x0800);
        int ip = out.position();
        out.put((byte) 0x45).put((byte) 0).putShort((short) (20 + 8 + payload.length));
        out.putShort((short) 1)
                .putShort((short) 0x4000)
                .put((byte) 64)
                .put((byte) 17)
                .putShort((short) 0);
        out.put(InetAddress.getByName(srcIp).getAddress())
                .put(InetAddress.getByName(dstIp).getAddress());
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += out.getShort(ip + i) & 0xffff;
        }
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = (sum & 0xffff) + (sum >>> 16);
        out.putShort(ip + 10, (short) ~sum);
        out.putShort((short) sport)
                .putShort((short) dport)
                .putShort((short) (8 + payload.length))
                .putShort((short) 0);
        out.put(payload);
        out.flip();
    }
}
