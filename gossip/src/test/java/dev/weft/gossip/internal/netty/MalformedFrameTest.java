package dev.weft.gossip.internal.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.spi.MeshMessage;
import dev.weft.gossip.spi.TransportConnection;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bad frames after a good handshake: each closes the connection with a reason that names the
 * problem, and nothing of it reaches the mesh.
 */
class MalformedFrameTest {

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

    /** A connected pair; returns the acceptor's inbox, the dialler's frames not yet delivered. */
    private Inbox connect(EmbeddedChannel d, EmbeddedChannel a) {
        Wire.settle(d, a);
        assertThat(acceptorEvents.connected).hasSize(1);
        Inbox inbox = new Inbox();
        acceptorEvents.connected.getFirst().start(inbox);
        a.runPendingTasks();
        return inbox;
    }

    private static MeshMessage gossip(int i) {
        return new MeshMessage.Gossip("ch", PeerName.of(1), new byte[] {(byte) i});
    }

    @Test
    void forgedFrameClosesTheConnection() {
        EmbeddedChannel d = Wire.channel(Wire.config("pw"), 1, true, dialerEvents);
        EmbeddedChannel a = Wire.channel(Wire.config("pw"), 2, false, acceptorEvents);
        Inbox inbox = connect(d, a);
        dialerEvents.connected.getFirst().send(gossip(1));
        d.runPendingTasks();
        byte[] frame = drain(d);
        frame[frame.length - 1] ^= 1; // one flipped ciphertext bit
        a.writeInbound(Unpooled.wrappedBuffer(frame));
        a.runPendingTasks();
        assertThat(a.isOpen()).isFalse();
        assertThat(inbox.messages).isEmpty();
        assertThat(inbox.closed).contains("message authentication failed");
    }

    @Test
    void reorderedFramesCloseTheConnection() {
        EmbeddedChannel d = Wire.channel(Wire.config("pw"), 1, true, dialerEvents);
        EmbeddedChannel a = Wire.channel(Wire.config("pw"), 2, false, acceptorEvents);
        Inbox inbox = connect(d, a);
        TransportConnection dc = dialerEvents.connected.getFirst();
        dc.send(gossip(1));
        d.runPendingTasks();
        byte[] first = drain(d);
        dc.send(gossip(2));
        d.runPendingTasks();
        byte[] second = drain(d);
        a.writeInbound(Unpooled.wrappedBuffer(concat(List.of(second, first))));
        a.runPendingTasks();
        assertThat(a.isOpen()).isFalse();
        assertThat(inbox.messages).isEmpty();
        assertThat(inbox.closed).contains("message authentication failed");
    }

    @Test
    void unknownMessageTagClosesTheConnection() {
        EmbeddedChannel d = Wire.channel(Wire.config(null), 1, true, dialerEvents);
        EmbeddedChannel a = Wire.channel(Wire.config(null), 2, false, acceptorEvents);
        Inbox inbox = connect(d, a);
        a.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 3, 42, 1, 2}));
        a.runPendingTasks();
        assertThat(a.isOpen()).isFalse();
        assertThat(inbox.closed).contains("unknown message tag 42");
    }

    @Test
    void truncatedMessageBodyClosesTheConnection() {
        EmbeddedChannel d = Wire.channel(Wire.config(null), 1, true, dialerEvents);
        EmbeddedChannel a = Wire.channel(Wire.config(null), 2, false, acceptorEvents);
        Inbox inbox = connect(d, a);
        // A unicast whose frame ends inside the destination name.
        a.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 7, 5, 1, 'c', 0, 0, 0, 1}));
        a.runPendingTasks();
        assertThat(a.isOpen()).isFalse();
        assertThat(inbox.messages).isEmpty();
        assertThat(inbox.closed).contains("truncated message");
    }

    @Test
    void aFrameCutOffByTheRemoteDeliversNothing() {
        EmbeddedChannel d = Wire.channel(Wire.config(null), 1, true, dialerEvents);
        EmbeddedChannel a = Wire.channel(Wire.config(null), 2, false, acceptorEvents);
        Inbox inbox = connect(d, a);
        a.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 100, 4, 2, 'c', 'h'}));
        a.runPendingTasks();
        assertThat(a.isOpen()).isTrue(); // waiting for the rest
        a.close(); // the remote goes away mid-frame
        assertThat(inbox.messages).isEmpty();
        assertThat(inbox.closed).isNotNull();
    }

    @Test
    void zeroLengthFrameClosesTheConnection() {
        EmbeddedChannel d = Wire.channel(Wire.config(null), 1, true, dialerEvents);
        EmbeddedChannel a = Wire.channel(Wire.config(null), 2, false, acceptorEvents);
        Inbox inbox = connect(d, a);
        a.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 0}));
        a.runPendingTasks();
        assertThat(a.isOpen()).isFalse();
        assertThat(inbox.closed).contains("empty frame");
    }

    @Test
    void aMessageBeforeTheHelloClosesTheHandshake() {
        EmbeddedChannel a = Wire.channel(Wire.config(null), 2, false, acceptorEvents);
        ((io.netty.buffer.ByteBuf) a.readOutbound()).release(); // our header
        byte[] header = {'w', 'e', 'f', 't', 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 9};
        a.writeInbound(Unpooled.wrappedBuffer(header), Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 1, 0}));
        a.runPendingTasks();
        assertThat(a.isOpen()).isFalse();
        assertThat(acceptorEvents.connected).isEmpty();
        assertThat(acceptorEvents.failures).singleElement().asString().contains("expected hello");
    }

    @Test
    void unknownHandshakeFlagsAreRefused() {
        EmbeddedChannel a = Wire.channel(Wire.config(null), 2, false, acceptorEvents);
        a.writeInbound(Unpooled.wrappedBuffer(new byte[] {'w', 'e', 'f', 't', 1, 1, 4, 0, 0, 0, 0, 0, 0, 0, 9}));
        a.runPendingTasks();
        assertThat(a.isOpen()).isFalse();
        assertThat(acceptorEvents.failures).singleElement().asString().contains("unknown handshake flags 4");
    }

    /** Takes what {@code ch} wrote, without delivering it. */
    private static byte[] drain(EmbeddedChannel ch) {
        List<byte[]> parts = new ArrayList<>();
        for (Object o = ch.readOutbound(); o != null; o = ch.readOutbound()) {
            io.netty.buffer.ByteBuf b = (io.netty.buffer.ByteBuf) o;
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            b.release();
            parts.add(bytes);
        }
        return concat(parts);
    }

    private static byte[] concat(List<byte[]> parts) {
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
