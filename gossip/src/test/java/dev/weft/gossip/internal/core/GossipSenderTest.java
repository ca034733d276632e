package dev.weft.gossip.internal.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.gossip.api.GossipData;
import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.spi.Hello;
import dev.weft.gossip.spi.MeshMessage;
import dev.weft.gossip.spi.SessionKey;
import dev.weft.gossip.spi.TransportConnection;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** A blocked connection's sender merges updates into one pending slot instead of queueing them. */
class GossipSenderTest {

    /** A set of strings; merge is union. */
    record Names(TreeSet<String> names) implements GossipData {
        static Names of(String... s) {
            return new Names(new TreeSet<>(List.of(s)));
        }

        @Override
        public List<byte[]> encode() {
            return List.of(String.join(",", names).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public GossipData merge(GossipData other) {
            TreeSet<String> all = new TreeSet<>(names);
            all.addAll(((Names) other).names);
            return new Names(all);
        }
    }

    /** Records what is sent; writable when told. */
    static final class Pipe implements TransportConnection {
        final List<MeshMessage> sent = new ArrayList<>();
        boolean writable;

        @Override
        public Hello remote() {
            return null;
        }

        @Override
        public Hello local() {
            return null;
        }

        @Override
        public long connectionUid() {
            return 1;
        }

        @Override
        public boolean outbound() {
            return true;
        }

        @Override
        public Object attempt() {
            return null;
        }

        @Override
        public InetSocketAddress localAddress() {
            return null;
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return null;
        }

        @Override
        public Optional<SessionKey> sessionKey() {
            return Optional.empty();
        }

        @Override
        public void start(Receiver receiver) {}

        @Override
        public void send(MeshMessage message) {
            sent.add(message);
            writable = false; // one message fills the socket buffer
        }

        @Override
        public boolean isWritable() {
            return writable;
        }

        @Override
        public void close(String reason) {}
    }

    private static String text(MeshMessage m) {
        byte[] p = m instanceof MeshMessage.Gossip g ? g.payload() : ((MeshMessage.Broadcast) m).payload();
        return new String(p, StandardCharsets.UTF_8);
    }

    @Test
    void updatesWhileBlockedAreMergedIntoOneMessagePerSlot() {
        Pipe pipe = new Pipe();
        GossipSender s = new GossipSender(pipe, PeerName.of(1), new MeshCounters());
        for (int i = 0; i < 1000; i++) {
            s.gossip("ch", Names.of("g" + (i % 3)));
            s.broadcast("ch", PeerName.of(7), Names.of("b" + (i % 2)));
        }
        s.flush();
        assertThat(pipe.sent)
                .as("nothing goes out while the connection is blocked")
                .isEmpty();
        assertThat(s.hasPending()).isTrue();
        pipe.writable = true;
        s.flush();
        pipe.writable = true;
        s.flush();
        assertThat(pipe.sent).hasSize(2);
        assertThat(text(pipe.sent.get(0))).isEqualTo("g0,g1,g2");
        assertThat(text(pipe.sent.get(1))).isEqualTo("b0,b1");
        assertThat(((MeshMessage.Broadcast) pipe.sent.get(1)).origin()).isEqualTo(PeerName.of(7));
        assertThat(s.hasPending()).isFalse();
    }
}
