package dev.weft.gossip.testkit;

import dev.weft.gossip.api.GossipData;
import dev.weft.gossip.api.GossipException;
import dev.weft.gossip.api.Gossiper;
import dev.weft.gossip.api.PeerName;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** A grow-only set of longs replicated over a gossip channel: the test CRDT of the suites. */
final class GSet implements Gossiper {

    final TreeSet<Long> items = new TreeSet<>();
    final List<String> unicasts = new ArrayList<>();

    /** Immutable set data. */
    record Data(Set<Long> items) implements GossipData {
        Data {
            items = Collections.unmodifiableSet(new TreeSet<>(items));
        }

        @Override
        public List<byte[]> encode() {
            ByteBuffer b = ByteBuffer.allocate(4 + 8 * items.size());
            b.putInt(items.size());
            items.forEach(b::putLong);
            return List.of(b.array());
        }

        @Override
        public GossipData merge(GossipData other) {
            TreeSet<Long> all = new TreeSet<>(items);
            all.addAll(((Data) other).items);
            return new Data(all);
        }

        static Data decode(byte[] bytes) {
            if (bytes.length < 4) {
                throw new GossipException("short gset message");
            }
            ByteBuffer b = ByteBuffer.wrap(bytes);
            int n = b.getInt();
            if (n < 0 || bytes.length != 4 + 8L * n) {
                throw new GossipException("bad gset length");
            }
            TreeSet<Long> s = new TreeSet<>();
            for (int i = 0; i < n; i++) {
                s.add(b.getLong());
            }
            return new Data(s);
        }
    }

    Data add(long v) {
        items.add(v);
        return new Data(Set.of(v));
    }

    private GossipData mergeNew(byte[] bytes) {
        Data d = Data.decode(bytes);
        TreeSet<Long> fresh = new TreeSet<>(d.items());
        fresh.removeAll(items);
        items.addAll(fresh);
        return fresh.isEmpty() ? null : new Data(fresh);
    }

    @Override
    public void onUnicast(PeerName source, byte[] message) {
        unicasts.add(source + ":" + new String(message, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public GossipData onBroadcast(PeerName origin, byte[] update) {
        return mergeNew(update);
    }

    @Override
    public GossipData onGossip(PeerName sender, byte[] update) {
        return mergeNew(update);
    }

    @Override
    public GossipData fullState() {
        return items.isEmpty() ? null : new Data(items);
    }
}
