package dev.weft.gossip.internal.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.spi.MeshMessage;
import dev.weft.gossip.spi.TransportConnection;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The whole pipeline (handshake, framing, sealing, codec, connection) on two EmbeddedChannels. */
class HandshakeTest {

    private final Wire.Events dialerEvents = new Wire.Events();
    private final Wire.Events acceptorEvents = new Wire.Events();

    private static final class Inbox implements TransportConnection.Receiver {
        final List<MeshMessage> messages = new ArrayList<>();
        String closed;

        @Override
        public void message(MeshMessage message) {
            messages.add(message);
        }

        @Override
        public void writable() {}

        @Override
        public void closed(String reason) {
            closed = reason;
        }
    }

    @Test
    void encryptedHandshakeAgreesOnEverythingAndCarriesMessages() {
        EmbeddedChannel d = Wire.channel(Wire.config("pw"), 1, true, dialerEvents);
        EmbeddedChannel a = Wire.channel(Wire.config("pw"), 2, false, acceptorEvents);
        Wire.settle(d, a);
        assertThat(dialerEvents.failures).isEmpty();
        assertThat(dialerEvents.connected).hasSize(1);
        assertThat(acceptorEvents.connected).hasSize(1);
        TransportConnection dc = dialerEvents.connected.getFirst();
        TransportConnection ac = acceptorEvents.connected.getFirst();
        assertThat(dc.remote().name()).isEqualTo(PeerName.of(2));
        assertThat(ac.remote().name()).isEqualTo(PeerName.of(1));
        assertThat(dc.connectionUid()).isEqualTo(ac.connectionUid());
        assertThat(dc.outbound()).isTrue();
        assertThat(ac.outbound()).isFalse();
        assertThat(dc.attempt()).isEqualTo("attempt");
        assertThat(dc.sessionKey().orElseThrow().derive("x", 16))
                .isEqualTo(ac.sessionKey().orElseThrow().derive("x", 16));

        Inbox inbox = new Inbox();
        ac.start(inbox);
        a.runPendingTasks();
        dc.send(new MeshMessage.Gossip("ch", PeerName.of(1), new byte[] {1, 2, 3}));
        dc.send(new MeshMessage.Unicast("ch", PeerName.of(1), PeerName.of(2), new byte[] {4}));
        Wire.settle(d, a);
        assertThat(inbox.messages).hasSize(2);
        assertThat(inbox.messages.getFirst()).isInstanceOf(MeshMessage.Gossip.class);
        assertThat(((MeshMessage.Gossip) inbox.messages.getFirst()).payload()).containsExactly(1, 2, 3);
    }

    @Test
    void unencryptedPeersConnectWithoutASessionKey() {
        EmbeddedChannel d = Wire.channel(Wire.config(null), 1, true, dialerEvents);
        EmbeddedChannel a = Wire.channel(Wire.config(null), 2, false, acceptorEvents);
        Wire.settle(d, a);
        assertThat(dialerEvents.connected).hasSize(1);
        assertThat(dialerEvents.connected.getFirst().sessionKey()).isEmpty();
    }

    @Test
    void wrongPasswordFailsBothSidesWithAReason() {
        EmbeddedChannel d = Wire.channel(Wire.config("one"), 1, true, dialerEvents);
        EmbeddedChannel a = Wire.channel(Wire.config("two"), 2, false, acceptorEvents);
        Wire.settle(d, a);
        d.runPendingTasks();
        a.runPendingTasks();
        assertThat(dialerEvents.connected).isEmpty();
        assertThat(acceptorEvents.connected).isEmpty();
        assertThat(d.isOpen()).isFalse();
        assertThat(a.isOpen()).isFalse();
        assertThat(dialerEvents.failures).singleElement().asString().contains("different password");
        assertThat(acceptorEvents.failures).singleElement().asString().contains("different password");
    }

    @Test
    void passwordAgainstNoPasswordIsRefusedClearly() {
        EmbeddedChannel d = Wire.channel(Wire.config("secret"), 1, true, dialerEvents);
        EmbeddedChannel a = Wire.channel(Wire.config(null), 2, false, acceptorEvents);
        Wire.settle(d, a);
        assertThat(dialerEvents.failures)
                .singleElement()
                .asString()
                .contains("password mismatch: the remote has no password but we do");
        assertThat(acceptorEvents.failures)
                .singleElement()
                .asString()
                .contains("password mismatch: the remote requires a password but we have none");
    }

    @Test
    void versionMismatchIsRefusedWithBothRanges() {
        EmbeddedChannel d = Wire.channel(Wire.config(null).withVersions(2, 3), 1, true, dialerEvents);
        EmbeddedChannel a = Wire.channel(Wire.config(null), 2, false, acceptorEvents);
        Wire.settle(d, a);
        assertThat(dialerEvents.failures)
                .singleElement()
                .asString()
                .contains("protocol version mismatch: we speak 2..3, the remote speaks 1..1");
        assertThat(acceptorEvents.failures)
                .singleElement()
                .asString()
                .contains("we speak 1..1, the remote speaks 2..3");
    }

    @Test
    void replayedFrameClosesTheConnection() {
        EmbeddedChannel d = Wire.channel(Wire.config("pw"), 1, true, dialerEvents);
        EmbeddedChannel a = Wire.channel(Wire.config("pw"), 2, false, acceptorEvents);
        Wire.settle(d, a);
        TransportConnection ac = acceptorEvents.connected.getFirst();
        Inbox inbox = new Inbox();
        ac.start(inbox);
        a.runPendingTasks();
        dialerEvents.connected.getFirst().send(new MeshMessage.OverlayControl(new byte[] {9}));
        d.runPendingTasks();
        List<byte[]> frames = Wire.pump(d, a);
        assertThat(inbox.messages).hasSize(1);
        for (byte[] f : frames) {
            a.writeInbound(Unpooled.wrappedBuffer(f)); // the attacker replays the captured frame
        }
        a.runPendingTasks();
        assertThat(a.isOpen()).isFalse();
        assertThat(inbox.messages).hasSize(1);
        assertThat(inbox.closed).contains("message authentication failed");
    }

    @Test
    void garbageInsteadOfAHeaderIsRefused() {
        EmbeddedChannel a = Wire.channel(Wire.config(null), 2, false, acceptorEvents);
        a.writeInbound(
                Unpooled.wrappedBuffer("GET / HTTP/1.1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        a.runPendingTasks();
        assertThat(a.isOpen()).isFalse();
        assertThat(acceptorEvents.failures).singleElement().asString().contains("not a weft peer");
    }

    @Test
    void oversizedFrameIsRefusedBeforeItsBodyArrives() {
        EmbeddedChannel d = Wire.channel(Wire.config(null), 1, true, dialerEvents);
        EmbeddedChannel a = Wire.channel(Wire.config(null), 2, false, acceptorEvents);
        Wire.settle(d, a);
        Inbox inbox = new Inbox();
        acceptorEvents.connected.getFirst().start(inbox);
        a.runPendingTasks();
        a.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}));
        a.runPendingTasks();
        assertThat(a.isOpen()).isFalse();
        assertThat(inbox.closed).contains("exceeds the limit");
    }

    @Test
    void silentPeerHitsTheHandshakeDeadlineThenTheReadDeadline() {
        EmbeddedChannel a = Wire.channel(Wire.config(null), 2, false, acceptorEvents);
        a.advanceTimeBy(11, TimeUnit.SECONDS);
        a.runScheduledPendingTasks();
        a.runPendingTasks();
        assertThat(a.isOpen()).isFalse();
        assertThat(acceptorEvents.failures).singleElement().asString().contains("handshake did not complete");

        Wire.Events de = new Wire.Events();
        Wire.Events ae = new Wire.Events();
        EmbeddedChannel d2 = Wire.channel(Wire.config(null), 1, true, de);
        EmbeddedChannel a2 = Wire.channel(Wire.config(null), 2, false, ae);
        Wire.settle(d2, a2);
        Inbox inbox = new Inbox();
        ae.connected.getFirst().start(inbox);
        a2.runPendingTasks();
        a2.advanceTimeBy(61, TimeUnit.SECONDS);
        a2.runScheduledPendingTasks();
        a2.runPendingTasks();
        assertThat(a2.isOpen()).isFalse();
        assertThat(inbox.closed).contains("heartbeat deadline passed");
    }

    @Test
    void writerSilenceSendsAHeartbeatThatKeepsTheOtherSideAlive() {
        EmbeddedChannel d = Wire.channel(Wire.config(null), 1, true, dialerEvents);
        EmbeddedChannel a = Wire.channel(Wire.config(null), 2, false, acceptorEvents);
        Wire.settle(d, a);
        Inbox inbox = new Inbox();
        acceptorEvents.connected.getFirst().start(inbox);
        for (int i = 0; i < 4; i++) {
            d.advanceTimeBy(31, TimeUnit.SECONDS);
            a.advanceTimeBy(31, TimeUnit.SECONDS);
            d.runScheduledPendingTasks();
            a.runScheduledPendingTasks();
            Wire.pump(d, a);
            Wire.pump(a, d);
            d.runPendingTasks();
            a.runPendingTasks();
        }
        assertThat(a.isOpen())
                .as("heartbeats every 30 s keep a 60 s read deadline at bay")
                .isTrue();
        assertThat(inbox.messages)
                .as("heartbeats are not delivered to the mesh")
                .isEmpty();
    }
}
