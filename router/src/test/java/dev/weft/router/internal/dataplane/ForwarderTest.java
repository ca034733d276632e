package dev.weft.router.internal.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.api.Routes;
import dev.weft.gossip.spi.OverlayConnectionParams;
import dev.weft.gossip.spi.OverlayEvents;
import dev.weft.sleeve.api.Drop;
import dev.weft.sleeve.api.Frame;
import dev.weft.sleeve.api.Lane;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A line A - B - C, seen from B (self) and from A. */
class ForwarderTest {
    static final PeerName A = PeerName.of(0xa);
    static final PeerName B = PeerName.of(0xb);
    static final PeerName C = PeerName.of(0xc);
    static final long MAC_A = 0x02000000000aL;
    static final long MAC_B = 0x02000000000bL;
    static final long MAC_C = 0x02000000000cL;
    static final Lane LANE = () -> "test";

    final FakeSleeve sleeve = new FakeSleeve();
    final OverlaySwitch sw = new OverlaySwitch(List.of(sleeve.overlay()), sleeve);
    final MacTable macs = new MacTable(600_000_000_000L, 10_000_000_000L);
    long now = 1;
    Forwarder fwd;

    /** Routes of the line as peer {@code self} computes them. */
    static Routes line(PeerName self) {
        return new Routes() {
            @Override
            public PeerName unicastNextHop(PeerName d) {
                if (d.equals(self)) {
                    return null;
                }
                if (self.equals(B)) {
                    return d;
                }
                return B;
            }

            @Override
            public PeerName unicastAllNextHop(PeerName d) {
                return unicastNextHop(d);
            }

            @Override
            public List<PeerName> broadcastNextHops(PeerName origin) {
                if (self.equals(B)) {
                    return origin.equals(B) ? List.of(A, C) : origin.equals(A) ? List.of(C) : List.of(A);
                }
                return origin.equals(self) ? List.of(B) : List.of();
            }

            @Override
            public List<PeerName> broadcastAllNextHops(PeerName origin) {
                return broadcastNextHops(origin);
            }

            @Override
            public long revision() {
                return 1;
            }
        };
    }

    void connect(PeerName self, PeerName... neighbours) throws Exception {
        for (PeerName n : neighbours) {
            var c = sw.prepareConnection(new OverlayConnectionParams(
                    n,
                    "n",
                    new InetSocketAddress("10.0.0.1", 6783),
                    new InetSocketAddress("10.0.0.2", 6783),
                    true,
                    1,
                    Optional.empty(),
                    m -> {},
                    Map.of(OverlaySwitch.FEATURE, "sleeve"),
                    new OverlayEvents() {
                        @Override
                        public void established() {}

                        @Override
                        public void failed(String reason) {}
                    }));
            c.confirm();
        }
        fwd = new Forwarder(self.value(), macs, sw, () -> now);
        fwd.routes(PeerRoutes.of(self, List.of(A, B, C), line(self)));
    }

    static Frame frame(long dst, long src, int length, boolean df) {
        ByteBuffer b = ByteBuffer.allocate(64 + length);
        b.putShort(64, (short) (dst >>> 32)).putInt(66, (int) dst);
        b.putShort(70, (short) (src >>> 32)).putInt(72, (int) src);
        b.putShort(76, (short) 0x0800);
        b.put(78, (byte) 0x45);
        b.putShort(80, (short) (length - 14));
        b.put(84, (byte) (df ? 0x40 : 0));
        Frame f = new Frame().set(b, 64, length);
        f.offload().clear();
        return f;
    }

    @BeforeEach
    void reset() {
        sleeve.sent.clear();
    }

    @Test
    void aBroadcastFloodsAlongOurTree() throws Exception {
        connect(B, A, C);
        fwd.captured(LANE, frame(Frame.BROADCAST_MAC, MAC_B, 60, false));
        assertThat(sleeve.sent).extracting(FakeSleeve.Sent::hop).containsExactly(A.value(), C.value());
        assertThat(sleeve.sent).allMatch(s -> s.flood() && s.src() == B.value() && s.dst() == s.hop());
    }

    @Test
    void anUnknownDestinationFloodsThenALearntOneGoesStraightToItsPeer() throws Exception {
        connect(A, B);
        fwd.captured(LANE, frame(MAC_C, MAC_A, 60, false));
        assertThat(sleeve.sent).hasSize(1).allMatch(FakeSleeve.Sent::flood);
        // C's reply arrives relayed by B: its MAC is learnt at C
        fwd.received(LANE, B.value(), C.value(), A.value(), false, frame(MAC_A, MAC_C, 60, false));
        assertThat(sleeve.injected).containsExactly(MAC_C);
        sleeve.sent.clear();
        fwd.captured(LANE, frame(MAC_C, MAC_A, 60, false));
        assertThat(sleeve.sent).containsExactly(new FakeSleeve.Sent(B.value(), A.value(), C.value(), false, MAC_C));
    }

    @Test
    void aLocalDestinationIsLeftToTheBridgeAndStpIsDropped() throws Exception {
        connect(A, B);
        fwd.captured(LANE, frame(MAC_B, MAC_A, 60, false)); // learns MAC_A here
        sleeve.sent.clear();
        fwd.captured(LANE, frame(MAC_A, 0x020000000077L, 60, false));
        fwd.captured(LANE, frame(Forwarder.STP_MAC, MAC_A, 60, false));
        assertThat(sleeve.sent).isEmpty();
        assertThat(fwd.drops()).containsEntry(Drop.LOCAL, 1L).containsEntry(Drop.LOOP, 1L);
    }

    @Test
    void framesForOtherPeersAreRelayedAndFloodsGoOnDownTheOriginsTree() throws Exception {
        connect(B, A, C);
        fwd.received(LANE, A.value(), A.value(), C.value(), false, frame(MAC_C, MAC_A, 60, false));
        assertThat(sleeve.sent).containsExactly(new FakeSleeve.Sent(C.value(), A.value(), C.value(), false, MAC_C));
        assertThat(sleeve.injected).isEmpty();
        sleeve.sent.clear();
        fwd.received(LANE, A.value(), A.value(), B.value(), true, frame(Frame.BROADCAST_MAC, MAC_A, 60, false));
        assertThat(sleeve.injected).containsExactly(MAC_A);
        assertThat(sleeve.sent)
                .containsExactly(new FakeSleeve.Sent(C.value(), A.value(), C.value(), true, Frame.BROADCAST_MAC));
        assertThat(fwd.relayedFrames()).isEqualTo(1);
    }

    @Test
    void aFrameFromALoopedBackMacIsDropped() throws Exception {
        connect(B, A, C);
        fwd.received(LANE, A.value(), A.value(), B.value(), true, frame(Frame.BROADCAST_MAC, MAC_A, 60, false));
        sleeve.sent.clear();
        fwd.captured(LANE, frame(Frame.BROADCAST_MAC, MAC_A, 60, false));
        assertThat(sleeve.sent).isEmpty();
        assertThat(fwd.drops()).containsEntry(Drop.LOOP, 1L);
    }

    @Test
    void unreachablePeersAreCountedAndTooBigFramesAnsweredWithIcmp() throws Exception {
        connect(A); // no connection to B: routes say B, the switch has none
        fwd.received(LANE, B.value(), C.value(), A.value(), false, frame(MAC_A, MAC_C, 60, false));
        fwd.captured(LANE, frame(MAC_C, MAC_A, 60, false));
        assertThat(fwd.drops()).containsEntry(Drop.NO_ROUTE, 1L);
        connect(A, B);
        fwd.captured(LANE, frame(MAC_C, MAC_A, 1500, true));
        assertThat(sleeve.tooBig).containsExactly(1376);
    }
}
