package dev.weft.sleeve.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.gossip.spi.SessionKey;
import dev.weft.sleeve.api.DataPlaneCipher;
import dev.weft.sleeve.api.Drop;
import dev.weft.sleeve.api.Frame;
import dev.weft.sleeve.api.Offload;
import dev.weft.sleeve.internal.wire.DatagramHeader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Two (or three) peers over an in-memory network: what a frame goes through, end to end. */
class SleevePathTest {
    static final SessionKey KEY = new SessionKey(new byte[32]);
    final MemoryNetwork net = new MemoryNetwork();
    final TestPeer a = new TestPeer(0x0a0000000001L, UdpAddress.of(0x0a000001, 6783), net);
    final TestPeer b = new TestPeer(0x0b0000000002L, UdpAddress.of(0x0a000002, 6783), net);

    SleeveLink ab;
    SleeveLink ba;

    void connect(DataPlaneCipher c) {
        ab = a.connect(b, c, KEY, 77, 1500);
        ba = b.connect(a, c, KEY, 77, 1500);
    }

    @ParameterizedTest
    @EnumSource(DataPlaneCipher.class)
    void smallFramesAreBundledIntoOneDatagram(DataPlaneCipher c) {
        connect(c);
        for (int i = 0; i < 5; i++) {
            assertThat(a.tx.send(ab, a.name, b.name, false, TestPeer.ipv4Frame(100, true, (byte) i)))
                    .isEqualTo(DataLane.SENT);
        }
        a.tx.flush();
        assertThat(net.pending()).hasSize(1);
        net.deliverAll();
        assertThat(b.got).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(b.got.get(i).frame()[40]).isEqualTo((byte) (i + 40));
            assertThat(b.got.get(i).src()).isEqualTo(a.name);
            assertThat(b.got.get(i).from()).isEqualTo(a.name);
        }
    }

    @ParameterizedTest
    @EnumSource(DataPlaneCipher.class)
    void aSuperFrameIsFragmentedAndReassembledInAnyOrder(DataPlaneCipher c) {
        connect(c);
        Frame f = TestPeer.ipv4Frame(65_000, false, (byte) 3);
        f.offload().set(Offload.FLAG_NEEDS_CSUM, Offload.GSO_TCPV4, 54, 1300, 34, 16);
        f.buffer().put(f.offset() + 14 + 20 + 12, (byte) 0x50); // TCP header of 20 bytes
        byte[] sent = new byte[65_000];
        f.buffer().get(f.offset(), sent);
        assertThat(a.tx.send(ab, a.name, b.name, false, f)).isEqualTo(DataLane.SENT);
        a.tx.flush();
        assertThat(net.pending()).hasSizeGreaterThan(40);
        assertThat(net.pending()).allMatch(d -> d.bytes().length <= 1500 - 28);
        net.reverseInFlight();
        net.deliverAll();
        assertThat(b.got).hasSize(1);
        assertThat(b.got.get(0).frame()).isEqualTo(sent);
        assertThat(b.got.get(0).gsoSize()).isEqualTo(1300);
    }

    @Test
    void encryptedTrafficNeverShowsThePlaintext() {
        connect(DataPlaneCipher.AES_256_GCM);
        Frame f = TestPeer.ipv4Frame(400, true, (byte) 0);
        byte[] marker = "WEFT-SECRET-MARKER".getBytes(StandardCharsets.US_ASCII);
        f.buffer().put(f.offset() + 100, marker);
        a.tx.send(ab, a.name, b.name, false, f);
        a.tx.flush();
        for (MemoryNetwork.Datagram d : net.pending()) {
            assertThat(new String(d.bytes(), StandardCharsets.ISO_8859_1)).doesNotContain("WEFT-SECRET-MARKER");
        }
        net.deliverAll();
        assertThat(new String(b.got.get(0).frame(), StandardCharsets.ISO_8859_1))
                .contains("WEFT-SECRET-MARKER");
    }

    @ParameterizedTest
    @EnumSource(
            value = DataPlaneCipher.class,
            names = {"AES_256_GCM", "CHACHA20_POLY1305"})
    void aReplayedDatagramIsDroppedAndCounted(DataPlaneCipher c) {
        connect(c);
        a.tx.send(ab, a.name, b.name, false, TestPeer.ipv4Frame(100, true, (byte) 0));
        a.tx.flush();
        MemoryNetwork.Datagram d = net.pending().get(0);
        net.deliverAll();
        net.inject(d);
        net.deliverAll();
        assertThat(b.got).hasSize(1);
        assertThat(b.drops.get(Drop.REPLAYED)).isEqualTo(1);
    }

    @Test
    void aTamperedDatagramFailsAuthenticationAndDoesNotMoveTheWindow() {
        connect(DataPlaneCipher.CHACHA20_POLY1305);
        a.tx.send(ab, a.name, b.name, false, TestPeer.ipv4Frame(100, true, (byte) 0));
        a.tx.flush();
        MemoryNetwork.Datagram d = net.pending().get(0);
        byte[] forged = d.bytes().clone();
        forged[16] = 0x7f; // a huge sequence number
        forged[40] ^= 1;
        net.injectFirst(new MemoryNetwork.Datagram(d.from(), d.to(), forged));
        net.deliverAll();
        assertThat(b.drops.get(Drop.NOT_AUTHENTIC)).isEqualTo(1);
        // the genuine datagram (still in flight) is accepted: the forgery did not move the window
        assertThat(b.got).hasSize(1);
    }

    @Test
    void wrongSourceUnknownSenderAndGarbageAreCounted() {
        connect(DataPlaneCipher.AES_256_GCM);
        a.tx.send(ab, a.name, b.name, false, TestPeer.ipv4Frame(100, true, (byte) 0));
        a.tx.flush();
        MemoryNetwork.Datagram d = net.pending().get(0);
        net.deliverAll();
        net.inject(new MemoryNetwork.Datagram(UdpAddress.of(0x0a000009, 6783), d.to(), d.bytes()));
        byte[] unknown = d.bytes().clone();
        unknown[9] ^= 1; // another sender name
        net.inject(new MemoryNetwork.Datagram(d.from(), d.to(), unknown));
        net.inject(new MemoryNetwork.Datagram(d.from(), d.to(), new byte[] {1, 2, 3}));
        byte[] garbage = new byte[300];
        new java.util.Random(1).nextBytes(garbage);
        net.inject(new MemoryNetwork.Datagram(d.from(), d.to(), garbage));
        net.deliverAll();
        assertThat(b.got).hasSize(1);
        assertThat(b.drops.get(Drop.WRONG_SOURCE)).isEqualTo(1);
        assertThat(b.drops.get(Drop.UNKNOWN_SENDER)).isEqualTo(1);
        assertThat(b.drops.get(Drop.MALFORMED)).isEqualTo(2);
    }

    @Test
    void aPeerWithAnotherKeyNeverDeliversAFrame() {
        ab = a.connect(b, DataPlaneCipher.AES_256_GCM, KEY, 77, 1500);
        byte[] wrongRaw = new byte[32];
        wrongRaw[31] = 1;
        SessionKey wrong = new SessionKey(wrongRaw);
        ba = b.connect(a, DataPlaneCipher.AES_256_GCM, wrong, 77, 1500);
        for (int i = 0; i < 10; i++) {
            a.tx.send(ab, a.name, b.name, false, TestPeer.ipv4Frame(100 + i * 1000, false, (byte) i));
        }
        a.tx.flush();
        net.deliverAll();
        assertThat(b.got).isEmpty();
        assertThat(b.drops.get(Drop.NOT_AUTHENTIC)).isEqualTo(10);
    }

    @Test
    void dontFragmentFramesBeyondTheMtuAreRefused() {
        connect(DataPlaneCipher.AES_256_GCM);
        int mtu = ab.frameMtu();
        assertThat(mtu).isEqualTo(1500 - 28 - 24 - 16 - 26 - 14);
        assertThat(a.tx.send(ab, a.name, b.name, false, TestPeer.ipv4Frame(mtu + 14, true, (byte) 0)))
                .isEqualTo(DataLane.SENT);
        assertThat(a.tx.send(ab, a.name, b.name, false, TestPeer.ipv4Frame(mtu + 15, true, (byte) 0)))
                .isEqualTo(DataLane.TOO_BIG);
        // without DF the frame is carried (cut into fragments)
        assertThat(a.tx.send(ab, a.name, b.name, false, TestPeer.ipv4Frame(mtu + 15, false, (byte) 0)))
                .isEqualTo(DataLane.SENT);
        a.tx.flush();
        net.deliverAll();
        assertThat(b.got).hasSize(2);
        assertThat(a.drops.get(Drop.TOO_BIG)).isEqualTo(1);
    }

    @Test
    void framesRelayThroughAMiddlePeer() {
        TestPeer c = new TestPeer(0x0c0000000003L, UdpAddress.of(0x0a000003, 6783), net);
        ab = a.connect(b, DataPlaneCipher.AES_256_GCM, KEY, 1, 1500);
        b.connect(a, DataPlaneCipher.AES_256_GCM, KEY, 1, 1500);
        byte[] k2Raw = new byte[32];
        k2Raw[0] = 9;
        SessionKey k2 = new SessionKey(k2Raw);
        SleeveLink bc = b.connect(c, DataPlaneCipher.CHACHA20_POLY1305, k2, 2, 1400);
        c.connect(b, DataPlaneCipher.CHACHA20_POLY1305, k2, 2, 1400);
        b.relayTo = bc;
        Frame f = TestPeer.ipv4Frame(30_000, false, (byte) 5);
        byte[] sent = new byte[30_000];
        f.buffer().get(f.offset(), sent);
        a.tx.send(ab, a.name, c.name, false, f);
        a.tx.send(ab, a.name, c.name, false, TestPeer.ipv4Frame(60, true, (byte) 1));
        a.tx.flush();
        net.deliverAll();
        assertThat(c.got).hasSize(2);
        assertThat(c.got.get(0).frame()).isEqualTo(sent);
        assertThat(c.got.get(0).from()).isEqualTo(b.name);
        assertThat(c.got.get(0).src()).isEqualTo(a.name);
        assertThat(c.got.get(0).dst()).isEqualTo(c.name);
    }

    @ParameterizedTest
    @EnumSource(DataPlaneCipher.class)
    void heartbeatsAndProbesReachTheControlSide(DataPlaneCipher c) {
        connect(c);
        a.heartbeatSender.sendHeartbeat(ab);
        a.heartbeatSender.sendProbe(ab, 1400);
        assertThat(net.pending()).hasSize(2);
        assertThat(net.pending().get(1).bytes()).hasSize(1400);
        net.deliverAll();
        assertThat(b.heartbeats).containsExactly(a.address);
        assertThat(b.probes).containsExactly(1400);
    }

    @Test
    void anAuthenticHeartbeatFromANewAddressIsReportedWithIt() {
        connect(DataPlaneCipher.AES_256_GCM);
        a.heartbeatSender.sendHeartbeat(ab);
        MemoryNetwork.Datagram d = net.pending().get(0);
        net.pending().clear();
        net.deliverAll();
        long moved = UdpAddress.of(0x0a000063, 40000);
        a.heartbeatSender.sendHeartbeat(ab);
        MemoryNetwork.Datagram d2 = net.pending().get(net.pending().size() - 1);
        MemoryNetwork fresh = net;
        fresh.deliverAll();
        fresh.inject(new MemoryNetwork.Datagram(moved, d2.to(), d2.bytes()));
        fresh.deliverAll();
        assertThat(d.bytes()).isNotEmpty();
        assertThat(b.heartbeats).hasSize(2);
        assertThat(b.drops.get(Drop.REPLAYED)).isEqualTo(1);
    }

    @Test
    void oneMessageNumberIsUsedOncePerLinkAcrossLanes() {
        connect(DataPlaneCipher.AES_256_GCM);
        a.tx.send(ab, a.name, b.name, false, TestPeer.ipv4Frame(100, true, (byte) 0));
        a.tx.flush();
        a.heartbeatSender.sendHeartbeat(ab);
        var seqs = net.pending().stream()
                .map(d -> ByteBuffer.wrap(d.bytes()).getLong(16))
                .toList();
        assertThat(seqs).doesNotHaveDuplicates();
        assertThat(DatagramHeader.LENGTH).isEqualTo(24);
    }
}
