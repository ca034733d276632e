package dev.weft.fastpath.internal.overlay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.fastpath.api.FastPathConfig;
import dev.weft.fastpath.api.FastPathStatus;
import dev.weft.fastpath.internal.wire.FastPathFeature;
import dev.weft.gossip.api.PeerInfo;
import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.api.PeerUid;
import dev.weft.gossip.spi.OverlayConnection;
import dev.weft.gossip.spi.OverlayConnectionParams;
import dev.weft.gossip.spi.OverlayEvents;
import dev.weft.gossip.spi.OverlayException;
import dev.weft.gossip.spi.SessionKey;
import dev.weft.sleeve.kernel.FakeMesh;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two fast-path overlays joined by a fake kernel and an in-memory control channel, in virtual time. */
class FastPathOverlayTest {
    static final PeerName A = PeerName.parse("02:00:00:00:00:0a");
    static final PeerName B = PeerName.parse("02:00:00:00:00:0b");
    static final PeerName C = PeerName.parse("02:00:00:00:00:0c");
    static final long UID = 0x5eed;
    static final FastPathConfig CONFIG =
            FastPathConfig.defaults().withHeartbeats(Duration.ofSeconds(1), Duration.ofSeconds(5));

    final ManualEnvironment env = new ManualEnvironment();
    final FakeDriver da = new FakeDriver("vxlan", 0x02_aa_00_00_00_01L, 1376);
    final FakeDriver db = new FakeDriver("vxlan", 0x02_bb_00_00_00_01L, 1376);
    final FastPathOverlay oa = new FastPathOverlay(da, CONFIG);
    final FastPathOverlay ob = new FastPathOverlay(db, CONFIG);
    final List<String> events = new ArrayList<>();
    final FakeMesh meshA = new FakeMesh(A, env);
    OverlayConnection ca;
    OverlayConnection cb;

    @BeforeEach
    void start() throws Exception {
        oa.start(meshA);
        ob.start(new FakeMesh(B, env));
        da.wire = ob::heartbeatArrived;
        db.wire = oa::heartbeatArrived;
        OverlayConnection[] peerOfA = new OverlayConnection[1];
        OverlayConnection[] peerOfB = new OverlayConnection[1];
        ca = oa.prepareConnection(
                params(A, B, "10.0.0.1", "10.0.0.2", true, features(ob), m -> peerOfA[0].controlMessage(m), "a"));
        cb = ob.prepareConnection(
                params(B, A, "10.0.0.2", "10.0.0.1", false, features(oa), m -> peerOfB[0].controlMessage(m), "b"));
        peerOfA[0] = cb;
        peerOfB[0] = ca;
    }

    interface Control {
        void send(byte[] m);
    }

    OverlayConnectionParams params(
            PeerName self,
            PeerName remote,
            String local,
            String remoteIp,
            boolean outbound,
            Map<String, String> features,
            Control control,
            String who)
            throws Exception {
        return new OverlayConnectionParams(
                remote,
                "nick",
                new InetSocketAddress(InetAddress.getByName(local), 40000),
                new InetSocketAddress(InetAddress.getByName(remoteIp), 6783),
                outbound,
                UID,
                Optional.empty(),
                control::send,
                features,
                new OverlayEvents() {
                    @Override
                    public void established() {
                        events.add(who + " established");
                    }

                    @Override
                    public void failed(String reason) {
                        events.add(who + " failed " + reason);
                    }

                    @Override
                    public void suspended(String reason) {
                        events.add(who + " suspended");
                    }

                    @Override
                    public void resumed() {
                        events.add(who + " resumed");
                    }
                });
    }

    static Map<String, String> features(FastPathOverlay o) {
        Map<String, String> f = new HashMap<>();
        o.addFeaturesTo(f);
        return f;
    }

    @Test
    void heartbeatsBothWaysMakeBothEndsCarryAndClaimTheirOwnFrames() {
        ca.confirm();
        cb.confirm();
        env.advance(Duration.ofSeconds(1));

        assertThat(events).containsExactlyInAnyOrder("a established", "b established");
        assertThat(da.carrying).extracting(p -> p.peer()).containsExactly(B);
        assertThat(db.carrying).extracting(p -> p.peer()).containsExactly(A);
        assertThat(ca.forward(A, B, group())).as("ours, multicast to the peer").isTrue();
        assertThat(ca.forward(A, PeerName.UNKNOWN, unicast()))
                .as("ours, flooded")
                .isTrue();
        assertThat(ca.forward(C, B, group())).as("relayed for C").isFalse();
        assertThat(ca.forward(A, C, group())).as("to C via B").isFalse();
        assertThat(da.sleeveFlushes)
                .as("the bridge forgot sleeve's MACs when the peer became carried, and once the peer surely switched")
                .isEqualTo(2);
        assertThat(ca.forward(A, B, unicast()))
                .as("a unicast frame that reached userspace: sleeve carries it")
                .isFalse();
        assertThat(ca.forward(A, B, unicast())).isFalse();
        env.runUntilIdle();
        assertThat(da.sleeveFlushes).as("not more than once a second").isEqualTo(2);
        env.advance(Duration.ofSeconds(1));
        assertThat(da.sleeveFlushes)
                .as("the bridge forgets its stale sleeve MACs")
                .isEqualTo(3);
        assertThat(ca.forward(A, B, unicast())).isFalse();
        env.advance(Duration.ofMillis(100));
        assertThat(da.sleeveFlushes).isEqualTo(3);
        env.advance(Duration.ofSeconds(1));
        assertThat(da.sleeveFlushes).isEqualTo(4);
        assertThat(ca.attrs())
                .containsEntry("state", "healthy")
                .containsEntry("driver", "vxlan")
                .doesNotContainKey("reason");
        FastPathStatus.Link link = oa.status().links().get(0);
        assertThat(link.peer()).isEqualTo(B);
        assertThat(link.remote()).isEqualTo("10.0.0.2");
        assertThat(link.acksReceived()).isPositive();
        assertThat(link.heartbeatsReceived()).isPositive();
    }

    @Test
    void aDirectionThatStopsMakesBothEndsFallBackAndBothComeBackWhenItResumes() {
        ca.confirm();
        cb.confirm();
        env.advance(Duration.ofSeconds(2));
        assertThat(da.carrying).isNotEmpty();

        da.up = false; // A's frames to B are lost; B's to A still arrive
        env.advance(Duration.ofMillis(4900));
        assertThat(ca.forward(A, B, group())).as("within the timeout").isTrue();
        env.advance(Duration.ofSeconds(2));

        assertThat(ca.forward(A, B, group())).isFalse();
        assertThat(cb.forward(B, A, group())).as("the other end too").isFalse();
        assertThat(da.carrying).isEmpty();
        assertThat(db.carrying).isEmpty();
        assertThat(ca.attrs()).containsEntry("state", "unhealthy");
        assertThat(ca.attrs().get("reason"))
                .contains("no heartbeat acknowledged for")
                .contains("frames to the peer are lost");
        assertThat(cb.attrs().get("reason"))
                .contains("no heartbeat received for")
                .contains("frames from the peer are lost");
        assertThat(events).noneMatch(e -> e.contains("failed"));
        int purges = da.purges;
        env.advance(Duration.ofSeconds(2));
        assertThat(da.purges).as("purged while down").isGreaterThan(purges);

        da.up = true;
        env.advance(Duration.ofMillis(1500));
        assertThat(ca.forward(A, B, group())).isTrue();
        assertThat(cb.forward(B, A, group())).isTrue();
        assertThat(da.log).containsSubsequence("add " + B, "carry " + B, "stop " + B, "carry " + B);
        assertThat(oa.status().links().get(0).failures()).isEqualTo(1);
        assertThat(events).containsOnlyOnce("a established");
        assertThat(events)
                .filteredOn(e -> e.startsWith("a "))
                .containsExactly("a established", "a suspended", "a resumed");
    }

    @Test
    void sleevesPortIsFloodedOnlyWhileSomeReachablePeerIsNotCarried() {
        env.runUntilIdle();
        assertThat(da.sleeveFlooding)
                .as("the connection to B is not carried yet")
                .isTrue();
        meshA.peerAdded(info(A, true, true));
        meshA.peerAdded(info(B, false, true));
        env.runUntilIdle();
        assertThat(da.sleeveFlooding).as("B is not carried yet").isTrue();
        ca.confirm();
        cb.confirm();
        env.advance(Duration.ofSeconds(1));
        assertThat(da.sleeveFlooding).as("every reachable peer is carried").isFalse();

        meshA.peerAdded(info(C, false, true));
        env.runUntilIdle();
        assertThat(da.sleeveFlooding).as("C is reached another way").isTrue();
        meshA.peerUpdated(info(C, false, true), info(C, false, false));
        env.runUntilIdle();
        assertThat(da.sleeveFlooding).as("C unreachable").isFalse();

        da.up = false;
        env.advance(Duration.ofSeconds(7));
        assertThat(da.sleeveFlooding).as("B fell back to sleeve").isTrue();
    }

    @Test
    void floodedFramesGoBySleeveTooWhileSomePeerIsReachedThroughOthers() {
        meshA.peerAdded(info(A, true, true));
        meshA.peerAdded(info(B, false, true));
        ca.confirm();
        cb.confirm();
        env.advance(Duration.ofSeconds(1));
        assertThat(ca.forward(A, PeerName.UNKNOWN, group()))
                .as("full mesh: the fast path carries floods")
                .isTrue();

        meshA.peerAdded(info(C, false, true)); // reachable, but no connection here: B relays to it
        env.runUntilIdle();
        assertThat(ca.forward(A, PeerName.UNKNOWN, group()))
                .as("B's router must see it to relay it to C")
                .isFalse();
        assertThat(ca.forward(A, B, group())).isFalse();

        meshA.peerUpdated(info(C, false, true), info(C, false, false)); // C unreachable
        env.runUntilIdle();
        assertThat(ca.forward(A, PeerName.UNKNOWN, group())).isTrue();
    }

    static ByteBuffer group() {
        ByteBuffer b = ByteBuffer.allocate(60);
        b.put(0, (byte) 0x01); // 01:00:5e:..., a multicast destination
        return b;
    }

    static ByteBuffer unicast() {
        ByteBuffer b = ByteBuffer.allocate(60);
        b.put(0, (byte) 0x02);
        return b;
    }

    static PeerInfo info(PeerName name, boolean local, boolean reachable) {
        return new PeerInfo(name, PeerUid.NONE, "", Optional.empty(), 1, List.of(), reachable, local);
    }

    @Test
    void aPathThatNeverWorksStaysPendingWithTheReason() {
        da.up = false;
        db.up = false;
        ca.confirm();
        cb.confirm();
        env.advance(Duration.ofSeconds(12));
        assertThat(events).isEmpty();
        assertThat(da.carrying).isEmpty();
        assertThat(ca.attrs()).containsEntry("state", "pending");
        assertThat(ca.attrs().get("reason")).isEqualTo("no heartbeat acknowledged yet after 12 s");
        assertThat(ca.forward(A, B, group())).isFalse();
    }

    @Test
    void stopRemovesThePeerFromTheKernelAndEndsHeartbeats() {
        ca.confirm();
        cb.confirm();
        env.advance(Duration.ofSeconds(1));
        ca.stop();
        ca.stop();
        env.runUntilIdle();
        assertThat(da.peers).isEmpty();
        assertThat(da.carrying).isEmpty();
        assertThat(ca.forward(A, B, group())).isFalse();
        assertThat(oa.status().links()).isEmpty();
        long sent = ob.status().links().get(0).heartbeatsReceived();
        env.advance(Duration.ofSeconds(3));
        assertThat(ob.status().links().get(0).heartbeatsReceived())
                .as("A sends no more")
                .isEqualTo(sent);
    }

    @Test
    void badControlMessagesAndForeignHeartbeatsAreIgnored() {
        da.up = false;
        db.up = false;
        ca.confirm();
        cb.confirm();
        ca.controlMessage(new byte[] {1, 2, 3});
        oa.heartbeatArrived(new dev.weft.fastpath.internal.wire.HeartbeatFrame.Heartbeat(0, 0, C.value(), UID, 1));
        oa.heartbeatArrived(new dev.weft.fastpath.internal.wire.HeartbeatFrame.Heartbeat(0, 0, B.value(), UID + 1, 1));
        env.runUntilIdle();
        assertThat(oa.status().links().get(0).heartbeatsReceived()).isZero();
    }

    @Test
    void connectionsItMustNotOrCannotCarryAreRefusedWithTheReason() throws Exception {
        FastPathOverlay o = new FastPathOverlay(new FakeDriver("vxlan", 0x02_cc_00_00_00_01L, 1376), CONFIG);
        o.start(new FakeMesh(C, env));
        Map<String, String> good = features(ob);
        assertThatThrownBy(() ->
                        o.prepareConnection(withKey(params(C, B, "10.0.0.3", "10.0.0.2", true, good, m -> {}, "c"))))
                .isInstanceOf(OverlayException.class)
                .hasMessage("connection is encrypted and the fast path does not encrypt yet");
        assertThatThrownBy(
                        () -> o.prepareConnection(params(C, B, "10.0.0.3", "10.0.0.2", true, Map.of(), m -> {}, "c")))
                .hasMessage("peer offers no fast path");
        assertThatThrownBy(() -> o.prepareConnection(params(
                        C,
                        B,
                        "10.0.0.3",
                        "10.0.0.2",
                        true,
                        Map.of(FastPathFeature.KEY, "1 driver=odp port=6784 mtu=1376"),
                        m -> {},
                        "c")))
                .hasMessage("peer's fast path uses the odp driver, ours vxlan (their encapsulations differ)");
        assertThatThrownBy(() -> o.prepareConnection(params(
                        C,
                        B,
                        "10.0.0.3",
                        "10.0.0.2",
                        true,
                        Map.of(FastPathFeature.KEY, "1 driver=vxlan port=4789 mtu=1376 mac=02:00:00:00:00:01"),
                        m -> {},
                        "c")))
                .hasMessage("peer's fast path uses UDP port 4789, ours 6784");
        assertThatThrownBy(() -> o.prepareConnection(params(
                        C,
                        B,
                        "10.0.0.3",
                        "10.0.0.2",
                        true,
                        Map.of(FastPathFeature.KEY, "1 driver=vxlan port=6784 mtu=1450 mac=02:00:00:00:00:01"),
                        m -> {},
                        "c")))
                .hasMessage("peer's fast-path MTU is 1450, ours 1376");
        assertThatThrownBy(() -> o.prepareConnection(params(
                        C,
                        B,
                        "10.0.0.3",
                        "10.0.0.2",
                        true,
                        Map.of(FastPathFeature.KEY, "1 driver=vxlan port=6784 mtu=1376"),
                        m -> {},
                        "c")))
                .hasMessage("peer announced no heartbeat address");
        assertThatThrownBy(() -> o.prepareConnection(params(C, B, "fd00::3", "fd00::2", true, good, m -> {}, "c")))
                .hasMessageStartingWith("the fast path needs an IPv4 underlay");
        assertThatThrownBy(() -> o.prepareConnection(params(
                        C, B, "10.0.0.3", "10.0.0.2", true, Map.of(FastPathFeature.KEY, "garbage"), m -> {}, "c")))
                .hasMessage("peer's fast-path feature is not understood: garbage");
    }

    private static OverlayConnectionParams withKey(OverlayConnectionParams p) {
        return new OverlayConnectionParams(
                p.remotePeer(),
                p.remoteNickname(),
                p.localAddress(),
                p.remoteAddress(),
                p.outbound(),
                p.connectionUid(),
                Optional.of(new SessionKey(new byte[32])),
                p.control(),
                p.remoteFeatures(),
                p.events());
    }
}
