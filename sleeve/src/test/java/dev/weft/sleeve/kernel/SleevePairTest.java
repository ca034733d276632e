package dev.weft.sleeve.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.spi.OverlayConnection;
import dev.weft.gossip.spi.OverlayConnectionParams;
import dev.weft.gossip.spi.OverlayEvents;
import dev.weft.gossip.spi.SessionKey;
import dev.weft.linux.api.NetNs;
import dev.weft.sleeve.api.Drop;
import dev.weft.sleeve.api.Frame;
import dev.weft.sleeve.api.Lane;
import dev.weft.sleeve.api.Sleeve;
import dev.weft.sleeve.api.SleeveConfig;
import dev.weft.sleeve.runtime.SleeveRuntime;
import dev.weft.sleeve.spi.FrameHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two routers' sleeves in two network namespaces joined by a veth pair, their TAP devices
 * addressed as one point-to-point subnet, connected through the overlay SPI by hand (no mesh):
 * what the kernel sees of sleeve alone.
 */
class SleevePairTest {
    static String prefix;
    static NetNs a;
    static NetNs b;
    static Sleeve sa;
    static Sleeve sb;
    static RealEnvironment env = new RealEnvironment();
    static final long A = 0x02_00_00_00_00_0aL;
    static final long B = 0x02_00_00_00_00_0bL;

    /** Sends everything captured to the one peer; injects everything received. */
    static final class PointToPoint implements FrameHandler {
        final long self;
        final long peer;
        volatile Sleeve sleeve;

        PointToPoint(long self, long peer) {
            this.self = self;
            this.peer = peer;
        }

        @Override
        public void captured(Lane lane, Frame frame) {
            int r = sleeve.send(lane, peer, self, peer, false, frame);
            if (r == Sleeve.TOO_BIG) {
                sleeve.replyTooBig(lane, frame, sleeve.frameMtu(peer));
            }
        }

        @Override
        public void received(Lane lane, long fromPeer, long srcPeer, long dstPeer, boolean flood, Frame frame) {
            sleeve.inject(lane, frame);
        }
    }

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "kernel tests need root");
        byte[] r = new byte[2];
        new SecureRandom().nextBytes(r);
        prefix = "ws" + HexFormat.of().formatHex(r) + "-";
        a = NetNs.create(prefix + "a");
        b = NetNs.create(prefix + "b");
        Sh.ok(
                "ip",
                "link",
                "add",
                prefix + "va",
                "netns",
                a.name(),
                "type",
                "veth",
                "peer",
                "name",
                prefix + "vb",
                "netns",
                b.name());
        Sh.ns(a.name(), "ip", "addr", "add", "10.200.0.1/24", "dev", prefix + "va");
        Sh.ns(b.name(), "ip", "addr", "add", "10.200.0.2/24", "dev", prefix + "vb");
        for (NetNs n : new NetNs[] {a, b}) {
            Sh.ns(n.name(), "ip", "link", "set", "lo", "up");
        }
        Sh.ns(a.name(), "ip", "link", "set", prefix + "va", "up");
        Sh.ns(b.name(), "ip", "link", "set", prefix + "vb", "up");

        SessionKey key = new SessionKey(new byte[32]);
        PointToPoint ha = new PointToPoint(A, B);
        PointToPoint hb = new PointToPoint(B, A);
        SleeveConfig config = SleeveConfig.defaults().withTapName("wsleeve");
        sa = a.call(() -> SleeveRuntime.start(A, config, ha));
        sb = b.call(() -> SleeveRuntime.start(B, config, hb));
        ha.sleeve = sa;
        hb.sleeve = sb;
        Sh.ns(a.name(), "ip", "addr", "add", "10.9.0.1/24", "dev", "wsleeve");
        Sh.ns(b.name(), "ip", "addr", "add", "10.9.0.2/24", "dev", "wsleeve");
        Sh.ns(a.name(), "ip", "link", "set", "wsleeve", "mtu", "1376", "up");
        Sh.ns(b.name(), "ip", "link", "set", "wsleeve", "mtu", "1376", "up");
        sa.overlay().start(new FakeMesh(PeerName.of(A), env));
        sb.overlay().start(new FakeMesh(PeerName.of(B), env));
        Map<String, String> fa = new HashMap<>();
        Map<String, String> fb = new HashMap<>();
        sa.overlay().addFeaturesTo(fa);
        sb.overlay().addFeaturesTo(fb);
        CountDownLatch established = new CountDownLatch(2);
        OverlayEvents events = new OverlayEvents() {
            @Override
            public void established() {
                established.countDown();
            }

            @Override
            public void failed(String reason) {
                System.err.println("failed: " + reason);
            }
        };
        OverlayConnection[] ca = new OverlayConnection[1];
        OverlayConnection[] cb = new OverlayConnection[1];
        InetSocketAddress ta = new InetSocketAddress(InetAddress.getByName("10.200.0.1"), 6783);
        InetSocketAddress tb = new InetSocketAddress(InetAddress.getByName("10.200.0.2"), 40000);
        ca[0] = sa.overlay()
                .prepareConnection(new OverlayConnectionParams(
                        PeerName.of(B),
                        "b",
                        ta,
                        tb,
                        true,
                        42,
                        Optional.of(key),
                        m -> cb[0].controlMessage(m),
                        fb,
                        events));
        cb[0] = sb.overlay()
                .prepareConnection(new OverlayConnectionParams(
                        PeerName.of(A),
                        "a",
                        tb,
                        ta,
                        false,
                        42,
                        Optional.of(key),
                        m -> ca[0].controlMessage(m),
                        fa,
                        events));
        ca[0].confirm();
        cb[0].confirm();
        assertThat(established.await(10, TimeUnit.SECONDS))
                .as("heartbeats pass both ways")
                .isTrue();
    }

    @AfterAll
    static void tearDown() {
        for (Sleeve s : new Sleeve[] {sa, sb}) {
            if (s != null) {
                s.close();
            }
        }
        env.close();
        for (NetNs n : new NetNs[] {a, b}) {
            if (n != null) {
                n.close();
                NetNs.delete(n.name());
            }
        }
    }

    @Test
    void pingCrossesSleeve() {
        String out = Sh.ns(a.name(), "ping", "-c", "5", "-i", "0.2", "-W", "2", "10.9.0.2");
        System.out.println(out);
        assertThat(out).contains("5 received");
        assertThat(sa.status().links()).hasSize(1);
        assertThat(sa.status().links().get(0).state()).isEqualTo("established");
    }

    @Test
    void aBulkTcpTransferCrossesSleeveAsSuperFrames() throws Exception {
        Process server = new ProcessBuilder("ip", "netns", "exec", b.name(), "iperf3", "-s", "-1", "-p", "5201")
                .redirectErrorStream(true)
                .start();
        try {
            Thread.sleep(300);
            long before = sb.status().links().get(0).rxBytes();
            long messagesBefore = sb.status().links().get(0).rxMessages();
            Sh.Result r = Sh.nsRun(30, a.name(), "iperf3", "-c", "10.9.0.2", "-p", "5201", "-n", "50M", "-f", "m");
            assertThat(r.exit()).as(r.out()).isZero();
            long bytes = sb.status().links().get(0).rxBytes() - before;
            long messages = sb.status().links().get(0).rxMessages() - messagesBefore;
            assertThat(bytes).isGreaterThan(45L << 20); // (the last segments may still be on their way)
            // TSO super-frames travel whole: far fewer messages than 1,400-byte packets would need
            assertThat(bytes / messages).as("bytes per message").isGreaterThan(8000);
            assertThat(sb.status().drops()).doesNotContainKeys(Drop.NOT_AUTHENTIC, Drop.REPLAYED, Drop.MALFORMED);
        } finally {
            server.destroy();
        }
    }
}
