package dev.weft.router.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.linux.api.NetNs;
import dev.weft.linux.api.Tap;
import dev.weft.linux.api.TapConfig;
import dev.weft.sleeve.api.Drop;
import dev.weft.sleeve.kernel.Sh;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three nodes, two pods each, encrypted, on real devices: reachability, what the underlay sees,
 * replays and malformed datagrams.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {
    static LocalCluster cluster;
    static PodTcp tcp;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "kernel tests need root");
        cluster = new LocalCluster(LocalCluster.Options.of(3, 2).encrypted()).connectAll();
        assertThat(cluster.awaitFullMesh(Duration.ofSeconds(20)))
                .as("all 6 directions established")
                .isTrue();
        tcp = new PodTcp();
        for (LocalCluster.Node n : cluster.nodes) {
            for (String pod : n.pods) {
                tcp.serve(pod, 7000);
            }
        }
    }

    @AfterAll
    static void stop() {
        if (tcp != null) {
            tcp.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    static boolean ping(String fromPod, String ip) {
        for (int attempt = 0; attempt < 3; attempt++) {
            if (Sh.nsRun(10, fromPod, "ping", "-c", "1", "-W", "2", ip).exit() == 0) {
                return true;
            }
        }
        return false;
    }

    @Test
    @Order(1)
    void everyPodReachesEveryOtherOverIcmpAndTcp() {
        List<String[]> pods = new java.util.ArrayList<>();
        for (LocalCluster.Node n : cluster.nodes) {
            for (int i = 0; i < n.pods.size(); i++) {
                pods.add(new String[] {n.pods.get(i), n.podIps.get(i)});
            }
        }
        byte[] payload = new byte[200_000];
        new java.util.Random(1).nextBytes(payload);
        for (String[] from : pods) {
            for (String[] to : pods) {
                if (from == to) {
                    continue;
                }
                assertThat(ping(from[0], to[1]))
                        .as("ping %s -> %s", from[0], to[1])
                        .isTrue();
                assertThat(PodTcp.echo(from[0], to[1], 7000, payload))
                        .as("tcp %s -> %s", from[0], to[1])
                        .isEqualTo(payload);
            }
        }
        for (LocalCluster.Node n : cluster.nodes) {
            assertThat(n.dataPlane.status().toString()).contains("established");
            assertThat(n.dataPlane.overlaySwitch().connections()).hasSize(2).allSatisfy(c -> assertThat(c)
                    .containsEntry("overlay", "sleeve")
                    .containsEntry("encrypted", "aes-256-gcm"));
        }
    }

    @Test
    @Order(2)
    void theUnderlayNeverCarriesPlaintextAndAReplayedDatagramIsDropped() throws Exception {
        LocalCluster.Node a = cluster.nodes.get(0);
        LocalCluster.Node b = cluster.nodes.get(1);
        Path pcap = Files.createTempFile("weft-underlay", ".pcap");
        Process dump = new ProcessBuilder(Sh.in(
                        cluster.underlayNamespace(),
                        "tcpdump",
                        "-i",
                        "ul",
                        "-U",
                        "-s",
                        "0",
                        "-w",
                        pcap.toString(),
                        "udp"))
                .redirectErrorStream(true)
                .start();
        try {
            Thread.sleep(1000);
            byte[] marker = "WEFT-PLAINTEXT-MARKER-0123456789".getBytes(StandardCharsets.US_ASCII);
            byte[] payload = new byte[64 * 1024];
            for (int i = 0; i + marker.length <= payload.length; i += marker.length) {
                System.arraycopy(marker, 0, payload, i, marker.length);
            }
            assertThat(PodTcp.echo(a.pods.get(0), b.podIps.get(0), 7000, payload))
                    .isEqualTo(payload);
            assertThat(ping(a.pods.get(0), b.podIps.get(0))).isTrue();
            Thread.sleep(500);
        } finally {
            dump.destroy();
            dump.waitFor();
        }
        List<byte[]> frames = Pcap.frames(pcap);
        byte[] marker = "WEFT-PLAINTEXT-MARKER".getBytes(StandardCharsets.US_ASCII);
        long sleeveDatagrams =
                frames.stream().filter(f -> Pcap.udpPayload(f, 6783) != null).count();
        assertThat(sleeveDatagrams).as("the capture saw sleeve traffic").isGreaterThan(2);
        assertThat(frames).noneMatch(f -> Pcap.contains(f, marker));

        // Replay a captured data datagram from A to B at layer 2, exactly as it was on the wire.
        // (The smallest one: the capture on the bridge may hold segmentation-offload super-packets.)
        byte[] replay = null;
        for (byte[] f : frames) {
            byte[] p = Pcap.udpPayload(f, 6783);
            if (p != null
                    && p[1] == 1
                    && f.length <= 1514
                    && ByteBuffer.wrap(f).getInt(26) == ip(a.underlayIp)
                    && ByteBuffer.wrap(f).getInt(30) == ip(b.underlayIp)
                    && (replay == null || f.length < replay.length)) {
                replay = f;
            }
        }
        assertThat(replay).as("a data datagram from A to B").isNotNull();
        // The capture may show the UDP checksum before the offloaded fill-in: send it as "none" (0).
        int udp = 14 + (replay[14] & 0x0f) * 4;
        replay[udp + 6] = 0;
        replay[udp + 7] = 0;
        long before = b.dataPlane.sleeve().status().drops().getOrDefault(Drop.REPLAYED, 0L);
        byte[] frame = replay;
        try (NetNs ul = NetNs.open(cluster.underlayNamespace())) {
            Tap tap = ul.call(() -> Tap.open(TapConfig.named("replay0")));
            try {
                Sh.ns(ul.name(), "ip", "link", "set", "replay0", "master", "ul", "up");
                ByteBuffer out = ByteBuffer.allocateDirect(frame.length);
                for (int i = 0; i < 3; i++) {
                    out.clear().put(frame).flip();
                    tap.write(out);
                }
            } finally {
                tap.close();
            }
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (b.dataPlane.sleeve().status().drops().getOrDefault(Drop.REPLAYED, 0L) < before + 3
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(b.dataPlane.sleeve().status().drops().getOrDefault(Drop.REPLAYED, 0L))
                .isGreaterThanOrEqualTo(before + 3);
        Files.deleteIfExists(pcap);
    }

    @Test
    @Order(3)
    void malformedDatagramsAreDroppedCountedAndHarmless() throws Exception {
        LocalCluster.Node a = cluster.nodes.get(0);
        LocalCluster.Node b = cluster.nodes.get(1);
        var before = b.dataPlane.sleeve().status().drops();
        try (NetNs ns = NetNs.open(a.ns.name())) {
            ns.call(() -> {
                try (DatagramSocket s = new DatagramSocket()) {
                    InetAddress to = InetAddress.getByName(b.underlayIp);
                    java.util.Random r = new java.util.Random(7);
                    for (int i = 0; i < 200; i++) {
                        byte[] d = new byte[r.nextInt(1400)];
                        r.nextBytes(d);
                        s.send(new DatagramPacket(d, d.length, to, 6783)); // garbage
                    }
                    s.send(new DatagramPacket(new byte[] {1, 1}, 2, to, 6783)); // truncated
                    ByteBuffer h = ByteBuffer.allocate(200);
                    h.put(0, (byte) 1).put(1, (byte) 1).put(2, (byte) 1);
                    h.putShort(4, (short) 0x0200).putInt(6, 0x00000001); // A's name, from another port
                    h.put(10, (byte) 0).putShort(11, (short) 176);
                    s.send(new DatagramPacket(h.array(), 200, to, 6783)); // wrong sender address
                    h.putShort(11, (short) 5000);
                    s.send(new DatagramPacket(h.array(), 200, to, 6783)); // bad lengths
                }
                return null;
            });
        }
        long rejected = 0;
        long malformed = 0;
        var after = before;
        for (long deadline = System.nanoTime() + 10_000_000_000L; rejected < 203 && System.nanoTime() < deadline; ) {
            Thread.sleep(100);
            after = b.dataPlane.sleeve().status().drops();
            malformed = after.getOrDefault(Drop.MALFORMED, 0L) - before.getOrDefault(Drop.MALFORMED, 0L);
            rejected = malformed
                    + after.getOrDefault(Drop.UNKNOWN_SENDER, 0L)
                    - before.getOrDefault(Drop.UNKNOWN_SENDER, 0L)
                    + after.getOrDefault(Drop.WRONG_SOURCE, 0L)
                    - before.getOrDefault(Drop.WRONG_SOURCE, 0L);
        }
        assertThat(malformed).isGreaterThan(150);
        assertThat(rejected)
                .as("200 garbage, 1 truncated, 2 from the wrong address")
                .isEqualTo(203);
        assertThat(after.getOrDefault(Drop.WRONG_SOURCE, 0L)).isGreaterThan(before.getOrDefault(Drop.WRONG_SOURCE, 0L));
        // the forwarder lives on
        assertThat(ping(a.pods.get(0), b.podIps.get(1))).isTrue();
    }

    static int ip(String dotted) throws Exception {
        return ByteBuffer.wrap(InetAddress.getByName(dotted).getAddress()).getInt();
    }
}
