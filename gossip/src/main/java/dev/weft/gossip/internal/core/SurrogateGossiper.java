package dev.weft.gossip.internal.core;

import dev.weft.gossip.api.GossipData;
import dev.weft.gossip.api.Gossiper;
import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.api.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Stands in for a channel this peer has not registered (mesh's surrogate gossiper): unicasts are
 * dropped, broadcasts relayed as they are, gossip relayed unless the same bytes were seen within one
 * gossip interval (so epidemic gossip through peers that do not know the channel still stops).
 * Memory is bounded: at most {@link #MAX_REMEMBERED} recent messages. Actor-confined.
 */
final class SurrogateGossiper implements Gossiper {

    static final int MAX_REMEMBERED = 1024;
    private static final int MAX_PENDING = 64;

    private record Seen(int hash, byte[] bytes, Instant at) {}

    private final Scheduler actor;
    private final Duration memory;
    private final ArrayDeque<Seen> seen = new ArrayDeque<>();

    SurrogateGossiper(Scheduler actor, Duration memory) {
        this.actor = actor;
        this.memory = memory;
    }

    @Override
    public void onUnicast(PeerName source, byte[] message) {}

    @Override
    public GossipData onBroadcast(PeerName origin, byte[] update) {
        return new Data(update);
    }

    @Override
    public GossipData onGossip(PeerName sender, byte[] update) {
        Instant now = actor.now();
        while (!seen.isEmpty()
                && (seen.size() > MAX_REMEMBERED
                        || seen.peekFirst().at().plus(memory).isBefore(now))) {
            seen.pollFirst();
        }
        int h = Arrays.hashCode(update);
        for (Seen s : seen) {
            if (s.hash() == h && Arrays.equals(s.bytes(), update)) {
                return null;
            }
        }
        seen.addLast(new Seen(h, update, now));
        return new Data(update);
    }

    @Override
    public GossipData fullState() {
        return null;
    }

    /** Opaque messages relayed unchanged; merging concatenates (bounded). */
    static final class Data implements GossipData {
        private final List<byte[]> messages = new ArrayList<>(1);

        Data(byte[] message) {
            messages.add(message);
        }

        @Override
        public List<byte[]> encode() {
            return List.copyOf(messages);
        }

        private Data(List<byte[]> messages) {
            this.messages.addAll(messages);
        }

        @Override
        public GossipData merge(GossipData other) {
            Data d = new Data(messages);
            for (byte[] m : ((Data) other).messages) {
                if (d.messages.size() >= MAX_PENDING) {
                    d.messages.removeFirst();
                }
                d.messages.add(m);
            }
            return d;
        }
    }
}
