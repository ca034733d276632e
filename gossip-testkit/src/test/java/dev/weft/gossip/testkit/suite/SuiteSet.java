package dev.weft.gossip.testkit.suite;

import dev.weft.gossip.api.GossipData;
import dev.weft.gossip.api.GossipException;
import dev.weft.gossip.api.Gossiper;
import dev.weft.gossip.api.PeerName;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A grow-only set replicated on a channel, thread-safe (Netty calls it on the mesh actor while the
 * test thread reads it).
 */
final class SuiteSet implements Gossiper {

    private final TreeSet<Long> items = new TreeSet<>();
    private final List<String> unicasts = new ArrayList<>();

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
    }

    synchronized Data add(long v) {
        items.add(v);
        return new Data(Set.of(v));
    }

    synchronized int size() {
        return items.size();
    }

    synchronized boolean contains(long v) {
        return items.contains(v);
    }

    synchronized List<String> unicasts() {
        return List.copyOf(unicasts);
    }

    private synchronized GossipData merge(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (bytes.length < 4) {
            throw new GossipException("short");
        }
        int n = b.getInt();
        if (n < 0 || bytes.length != 4 + 8L * n) {
            throw new GossipException("bad length");
        }
        TreeSet<Long> fresh = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            long v = b.getLong();
            if (items.add(v)) {
                fresh.add(v);
            }
        }
        return fresh.isEmpty() ? null : new Data(fresh);
    }

    @Override
    public synchronized void onUnicast(PeerName source, byte[] message) {
        unicasts.add(source + ":" + new String(message, StandardCharsets.UTF_8));
    }

    @Override
    public GossipData onBroadcast(PeerName origin, byte[] update) {
        return merge(update);
    }

    @Override
    public GossipData onGossip(PeerName sender, byte[] update) {
        return merge(update);
    }

    @Override
    public synchronized GossipData fullState() {
        return items.isEmpty() ? null : new Data(items);
    }

    @Override
    public synchronized String toString() {
        return items.toString();
    }
}
