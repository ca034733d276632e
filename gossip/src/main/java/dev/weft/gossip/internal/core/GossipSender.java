package dev.weft.gossip.internal.core;

import dev.weft.gossip.api.GossipData;
import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.spi.MeshMessage;
import dev.weft.gossip.spi.TransportConnection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Outgoing gossip of one connection (mesh's {@code gossipSender}): one pending {@link GossipData}
 * per channel for neighbour gossip and one per (channel, origin) for broadcasts. New data is
 * merged into the pending slot instead of queued, so a slow connection costs bounded memory and
 * never sends stale state. Slots are drained while the transport is writable.
 *
 * <p>Actor-confined.
 */
final class GossipSender {

    private record BroadcastKey(String channel, PeerName origin) {}

    private final TransportConnection connection;
    private final PeerName self;
    private final MeshCounters counters;
    private final LinkedHashMap<String, GossipData> gossip = new LinkedHashMap<>();
    private final LinkedHashMap<BroadcastKey, GossipData> broadcasts = new LinkedHashMap<>();
    boolean queued; // MessageDispatch's flush list holds it

    GossipSender(TransportConnection connection, PeerName self, MeshCounters counters) {
        this.connection = connection;
        this.self = self;
        this.counters = counters;
    }

    void gossip(String channel, GossipData data) {
        gossip.merge(channel, data, GossipData::merge);
    }

    void broadcast(String channel, PeerName origin, GossipData data) {
        broadcasts.merge(new BroadcastKey(channel, origin), data, GossipData::merge);
    }

    boolean hasPending() {
        return !gossip.isEmpty() || !broadcasts.isEmpty();
    }

    /** Sends pending slots, gossip first, while the connection is writable. */
    void flush() {
        while (connection.isWritable()) {
            Iterator<Map.Entry<String, GossipData>> g = gossip.entrySet().iterator();
            if (g.hasNext()) {
                Map.Entry<String, GossipData> e = g.next();
                g.remove();
                for (byte[] payload : e.getValue().encode()) {
                    connection.send(new MeshMessage.Gossip(e.getKey(), self, payload));
                    counters.sent(payload.length);
                }
                continue;
            }
            Iterator<Map.Entry<BroadcastKey, GossipData>> b =
                    broadcasts.entrySet().iterator();
            if (b.hasNext()) {
                Map.Entry<BroadcastKey, GossipData> e = b.next();
                b.remove();
                for (byte[] payload : e.getValue().encode()) {
                    connection.send(new MeshMessage.Broadcast(
                            e.getKey().channel(), e.getKey().origin(), payload));
                    counters.sent(payload.length);
                }
                continue;
            }
            return;
        }
    }

    void clear() {
        gossip.clear();
        broadcasts.clear();
    }
}
