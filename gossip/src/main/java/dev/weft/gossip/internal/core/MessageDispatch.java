package dev.weft.gossip.internal.core;

import dev.weft.gossip.api.GossipData;
import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.internal.topology.Adjacency;
import dev.weft.gossip.internal.topology.PeerRecord;
import dev.weft.gossip.internal.topology.TopologyDigest;
import dev.weft.gossip.internal.topology.TopologyGossiper;
import dev.weft.gossip.internal.topology.TopologyUpdate;
import dev.weft.gossip.spi.MeshMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Delivers received gossip to channels and relays it (mesh's gossip routing): neighbour gossip to a
 * random subset, broadcasts along the origin's broadcast tree, unicasts hop by hop. Actor-confined.
 */
final class MessageDispatch {

    /** How a connection closed by the remote's refusal is described (then the reason and text). */
    static final String REFUSED = "refused by remote: ";

    private final LocalMesh mesh;
    private List<GossipSender> dirtyOrder = new ArrayList<>();
    private List<GossipSender> flushing = new ArrayList<>();
    private boolean flushScheduled;

    MessageDispatch(LocalMesh mesh) {
        this.mesh = mesh;
    }

    void received(MeshConnection from, MeshMessage message) {
        if (from.closed) {
            return;
        }
        mesh.counters.received();
        switch (message) {
            case MeshMessage.Gossip g -> onGossip(from, g);
            case MeshMessage.Broadcast b -> onBroadcast(from, b);
            case MeshMessage.Unicast u -> onUnicast(from, u);
            case MeshMessage.OverlayControl o -> {
                if (from.overlay != null) {
                    from.overlay.controlMessage(o.payload());
                }
            }
            case MeshMessage.Refusal r -> mesh.closeConnection(from, REFUSED + r.reason() + ": " + r.text());
        }
    }

    private void onGossip(MeshConnection from, MeshMessage.Gossip g) {
        if (TopologyDigest.isDigest(g.payload()) && TopologyGossiper.CHANNEL.equals(g.channel())) {
            onDigest(from, g.payload());
            return;
        }
        Channels.Entry e = mesh.channels.lookup(g.channel());
        if (e == null) {
            return;
        }
        invoke(
                from,
                e,
                () -> e.gossiper().onGossip(g.sender(), g.payload()),
                delta -> relayGossip(e.name(), delta, from.remote));
    }

    private void onBroadcast(MeshConnection from, MeshMessage.Broadcast b) {
        if (b.origin().equals(mesh.name())) {
            return; // our own broadcast came back: routes changed under it
        }
        Channels.Entry e = mesh.channels.lookup(b.channel());
        if (e == null) {
            return;
        }
        invoke(
                from,
                e,
                () -> e.gossiper().onBroadcast(b.origin(), b.payload()),
                delta -> relayBroadcast(e.name(), b.origin(), delta));
    }

    private void onUnicast(MeshConnection from, MeshMessage.Unicast u) {
        if (!u.destination().equals(mesh.name())) {
            relayUnicast(u);
            return;
        }
        Channels.Entry e = mesh.channels.lookup(u.channel());
        if (e == null) {
            return;
        }
        invoke(
                from,
                e,
                () -> {
                    e.gossiper().onUnicast(u.origin(), u.payload());
                    return null;
                },
                d -> {});
    }

    /** A neighbour's topology digest: answer with what it lacks (and our digest if it asks). */
    private void onDigest(MeshConnection from, byte[] payload) {
        TopologyUpdate answer;
        try {
            answer = mesh.topology.answer(TopologyDigest.decode(payload));
        } catch (RuntimeException ex) {
            LocalMesh.log.warn("{}: closing: bad topology digest: {}", from, ex.getMessage());
            mesh.closeConnection(from, "bad topology digest: " + ex.getMessage());
            return;
        }
        if (answer != null) {
            send(from, TopologyGossiper.CHANNEL, answer);
        }
    }

    /** Runs a channel callback where the channel wants it, then {@code then} on the actor. */
    private void invoke(MeshConnection from, Channels.Entry e, Supplier<GossipData> call, Consumer<GossipData> then) {
        if (e.callbacks() == null) {
            GossipData d;
            try {
                d = call.get();
            } catch (RuntimeException ex) {
                rejected(from, e, ex);
                return;
            }
            if (d != null) {
                then.accept(d);
            }
            return;
        }
        e.callbacks().execute(() -> {
            try {
                GossipData d = call.get();
                if (d != null) {
                    mesh.actor.execute(() -> then.accept(d));
                }
            } catch (RuntimeException ex) {
                mesh.actor.execute(() -> rejected(from, e, ex));
            }
        });
    }

    private void rejected(MeshConnection from, Channels.Entry e, RuntimeException ex) {
        LocalMesh.log.warn("{}: closing: error on gossip channel '{}': {}", from, e.name(), ex.toString());
        mesh.closeConnection(from, "gossip error on channel '" + e.name() + "': " + ex.getMessage());
    }

    // ---------------------------------------------------------------- sending

    /**
     * Sends {@code data} to about 2·log2(peers) neighbours chosen uniformly at random (excluding
     * {@code except}). mesh weights the choice by how many routes go through each neighbour; in a
     * full mesh that is uniform anyway, and uniform needs no route calculation on this hot path.
     */
    void gossipToNeighbours(String channel, GossipData data, PeerName except) {
        gossipToNeighbours(channel, c -> data, except);
    }

    /** As above, with what to send chosen per connection. */
    private void gossipToNeighbours(
            String channel, java.util.function.Function<MeshConnection, GossipData> data, PeerName except) {
        MeshConnection[] all = mesh.connectionArray();
        int exceptIndex = -1;
        if (except != null) {
            for (int i = 0; i < all.length; i++) {
                if (all[i].remote.equals(except)) {
                    exceptIndex = i;
                    break;
                }
            }
        }
        int candidates = all.length - (exceptIndex >= 0 ? 1 : 0);
        if (candidates <= 0) {
            return;
        }
        int peers = Math.max(2, mesh.peers.size());
        int wanted = (int) Math.min(Math.ceil(2 * Math.log(peers) / Math.log(2)), candidates);
        if (wanted == candidates) {
            for (int i = 0; i < all.length; i++) {
                if (i != exceptIndex) {
                    send(all[i], channel, data.apply(all[i]));
                }
            }
            return;
        }
        // Floyd's algorithm: `wanted` distinct indices among the candidates, O(wanted).
        int[] chosen = new int[wanted];
        int n = 0;
        for (int j = candidates - wanted; j < candidates; j++) {
            int t = mesh.random.nextInt(j + 1);
            boolean dup = false;
            for (int k = 0; k < n; k++) {
                if (chosen[k] == t) {
                    dup = true;
                    break;
                }
            }
            chosen[n++] = dup ? j : t;
        }
        for (int idx : chosen) {
            int i = exceptIndex >= 0 && idx >= exceptIndex ? idx + 1 : idx;
            send(all[i], channel, data.apply(all[i]));
        }
    }

    private void send(MeshConnection c, String channel, GossipData data) {
        if (!c.closed) {
            c.sender.gossip(channel, data);
            markDirty(c.sender);
        }
    }

    /**
     * Relays news. A topology record is relayed only to neighbours its owner does not list as
     * connected (the owner sent it to all of those itself, see {@link #announce}) and never to the
     * owner: in a full mesh nobody relays at all. In a mesh larger than the connection limit, the
     * owner's neighbours (first hop) together send about {@link #RELAY_COPIES} copy per peer the
     * owner is not connected to (each at most ln(N)+1); a peer that got the record from a relay
     * does not relay it further. Peers that were missed get the record by digest anti-entropy
     * ({@link #digestToNeighbour}, every {@link LocalMesh#DIGEST_INTERVAL}). (Every receiver
     * relaying to ln(N)+1 neighbours sent each record about 8·N times in a 1,000-peer mesh; relays
     * passing news on to one more neighbour were 40% of all records sent, nearly all duplicates.)
     */
    private void relayGossip(String channel, GossipData delta, PeerName sender) {
        if (delta instanceof TopologyUpdate t && t.single() != null) {
            PeerRecord r = t.single();
            Adjacency reached = r.adjacency();
            long owner = r.name().value();
            if (sender.value() != owner) {
                return; // second hop: digests repair what the first hop missed
            }
            int notReached = Math.max(0, mesh.peers.size() - reached.size() - 1);
            int wanted = (int) Math.ceil((double) RELAY_COPIES * notReached / Math.max(1, reached.size()));
            wanted = Math.max(1, Math.min(wanted, relayFanout()));
            MeshConnection[] all = mesh.connectionArray();
            if (relayScratch.length < all.length) {
                relayScratch = new MeshConnection[all.length];
            }
            MeshConnection[] candidates = relayScratch;
            // Usually most neighbours qualify: pick at random and check, O(wanted). Where few do
            // (the owner is connected to most of ours), collect them all instead.
            int n = sample(all, reached, owner, sender.value(), wanted, candidates);
            if (n < 0) {
                n = collect(all, reached, owner, sender.value(), candidates);
                wanted = Math.min(wanted, n);
                for (int i = 0; i < wanted; i++) {
                    int k = i + mesh.random.nextInt(n - i);
                    MeshConnection c = candidates[k];
                    candidates[k] = candidates[i];
                    candidates[i] = c;
                }
                n = wanted;
            }
            for (int i = 0; i < n; i++) {
                send(candidates[i], channel, delta);
            }
            java.util.Arrays.fill(candidates, 0, Math.max(n, 0), null); // hold no closed connection
            return;
        }
        gossipToNeighbours(channel, delta, sender);
    }

    /**
     * Picks {@code wanted} distinct relay candidates at random into {@code out} by trying random
     * neighbours (uniform among the candidates); -1 if that takes too many tries.
     */
    private int sample(
            MeshConnection[] all, Adjacency reached, long owner, long sender, int wanted, MeshConnection[] out) {
        if (all.length < 4 * wanted) {
            return -1;
        }
        int n = 0;
        for (int tries = 0; n < wanted; tries++) {
            if (tries == 4 * wanted + 4) {
                return -1;
            }
            MeshConnection c = all[mesh.random.nextInt(all.length)];
            long v = c.remote.value();
            if (v == owner || v == sender || reached.indexOf(v) >= 0) {
                continue;
            }
            boolean dup = false;
            for (int i = 0; i < n && !dup; i++) {
                dup = out[i] == c;
            }
            if (!dup) {
                out[n++] = c;
            }
        }
        return n;
    }

    /**
     * Every relay candidate (a neighbour that is neither the owner, nor the sender, nor listed in
     * the owner's record) into {@code out}: a merge of two name-sorted lists, O(neighbours + owner's
     * connections).
     */
    private static int collect(MeshConnection[] all, Adjacency reached, long owner, long sender, MeshConnection[] out) {
        int n = 0;
        int j = 0;
        int m = reached.size();
        for (MeshConnection c : all) {
            long v = c.remote.value();
            while (j < m && reached.name(j) < v) {
                j++;
            }
            if (v != owner && v != sender && (j == m || reached.name(j) != v)) {
                out[n++] = c;
            }
        }
        return n;
    }

    private MeshConnection[] relayScratch = new MeshConnection[0]; // relayGossip's candidates, reused

    /**
     * Copies per unconnected peer the owner's neighbours send between them (first hop). 1,000
     * peers: 1 copy and no second hop sent 3.35 M records and converged at 5.5 s simulated; 3
     * copies and a second hop sent 5.48 M and converged at 8.6 s (digests every 2 s then).
     */
    static final int RELAY_COPIES = 1;

    /** ceil(ln(peers)) + 1: the most any one peer relays a record to. */
    private int relayFanout() {
        return (int) Math.ceil(Math.log(Math.max(2, mesh.peers.size()))) + 1;
    }

    /**
     * Topology anti-entropy between the full-state rounds: our digest (asking for theirs) to one
     * random neighbour that takes digests. Cheap (22 bytes per known peer) and only in meshes larger
     * than the connection limit matters at all: there records travel through relays that may miss.
     */
    void digestToNeighbour() {
        MeshConnection[] all = mesh.connectionArray();
        if (all.length == 0) {
            return;
        }
        MeshConnection c = all[mesh.random.nextInt(all.length)];
        if (c.takesDigests) {
            send(c, TopologyGossiper.CHANNEL, mesh.topology.digest(true));
        }
    }

    /** Sends our own topology record to every neighbour (they all need it; nobody relays it to them). */
    void announce(GossipData ours) {
        for (MeshConnection c : mesh.connectionArray()) {
            send(c, TopologyGossiper.CHANNEL, ours);
        }
    }

    void broadcastFromHere(String channel, GossipData data) {
        relayBroadcast(channel, mesh.name(), data);
    }

    private void relayBroadcast(String channel, PeerName origin, GossipData data) {
        for (PeerName hop : mesh.currentRoutes().broadcastAllNextHops(origin)) {
            MeshConnection c = mesh.connections.get(hop);
            if (c != null && !c.closed) {
                c.sender.broadcast(channel, origin, data);
                markDirty(c.sender);
            }
        }
    }

    boolean unicastFromHere(String channel, PeerName destination, byte[] payload) {
        MeshMessage.Unicast u = new MeshMessage.Unicast(channel, mesh.name(), destination, payload);
        if (destination.equals(mesh.name())) {
            Channels.Entry e = mesh.channels.lookup(channel);
            if (e != null && e.registered()) {
                Runnable deliver = () -> e.gossiper().onUnicast(destination, payload);
                if (e.callbacks() == null) {
                    mesh.actor.execute(deliver);
                } else {
                    e.callbacks().execute(deliver);
                }
            }
            return true;
        }
        return relayUnicast(u);
    }

    private boolean relayUnicast(MeshMessage.Unicast u) {
        PeerName hop = mesh.currentRoutes().unicastAllNextHop(u.destination());
        MeshConnection c = hop == null ? null : mesh.connections.get(hop);
        if (c == null || c.closed) {
            LocalMesh.log.debug("no route to {}: dropping unicast on '{}'", u.destination(), u.channel());
            return false;
        }
        c.transport.send(u);
        mesh.counters.sent(u.payload().length);
        return true;
    }

    /**
     * Sends every channel's full state down a connection to a new or restarted peer; to a peer that
     * takes digests, our topology digest instead of the topology's full state (if {@code
     * topologyDigest}: else the caller sends it later).
     */
    void sendAllGossipDown(MeshConnection c, boolean topologyDigest) {
        for (Channels.Entry e : mesh.channels.all()) {
            if (e.gossiper() == mesh.topology && c.takesDigests) {
                if (topologyDigest) {
                    send(c, e.name(), mesh.topology.digest(false));
                }
                continue;
            }
            if (e.callbacks() == null) {
                GossipData d = e.gossiper().fullState();
                if (d != null) {
                    c.sender.gossip(e.name(), d);
                    markDirty(c.sender);
                }
            } else {
                e.callbacks().execute(() -> {
                    GossipData d = e.gossiper().fullState();
                    if (d != null) {
                        mesh.actor.execute(() -> {
                            if (!c.closed) {
                                c.sender.gossip(e.name(), d);
                                markDirty(c.sender);
                            }
                        });
                    }
                });
            }
        }
    }

    /** Our topology digest down {@code c} (its answer brings what we lack). */
    void sendTopologyDigest(MeshConnection c) {
        send(c, TopologyGossiper.CHANNEL, mesh.topology.digest(false));
    }

    /** Anti-entropy: every channel's full state to a random subset of neighbours. */
    void periodicGossip() {
        for (Channels.Entry e : mesh.channels.all()) {
            if (e.gossiper() == mesh.topology) {
                // Digests to neighbours that take them (they answer with what we lack, and we
                // answer theirs with what they lack), full state to the others.
                TopologyUpdate[] lazy = new TopologyUpdate[2];
                gossipToNeighbours(
                        e.name(),
                        c -> c.takesDigests
                                ? (lazy[0] == null ? lazy[0] = mesh.topology.digest(true) : lazy[0])
                                : (lazy[1] == null ? lazy[1] = (TopologyUpdate) mesh.topology.fullState() : lazy[1]),
                        null);
                continue;
            }
            if (e.callbacks() == null) {
                GossipData d = e.gossiper().fullState();
                if (d != null) {
                    gossipToNeighbours(e.name(), d, null);
                }
            } else {
                e.callbacks().execute(() -> {
                    GossipData d = e.gossiper().fullState();
                    if (d != null) {
                        mesh.actor.execute(() -> gossipToNeighbours(e.name(), d, null));
                    }
                });
            }
        }
    }

    /** Flushes senders once the current burst of actor work is done, so updates merge meanwhile. */
    private void markDirty(GossipSender s) {
        if (!s.queued) {
            s.queued = true;
            dirtyOrder.add(s);
        }
        if (!flushScheduled) {
            flushScheduled = true;
            mesh.actor.execute(this::flushDirty);
        }
    }

    private void flushDirty() {
        flushScheduled = false;
        List<GossipSender> batch = dirtyOrder; // swap the two lists: no allocation per flush
        dirtyOrder = flushing;
        flushing = batch;
        for (GossipSender s : batch) {
            s.queued = false;
        }
        for (GossipSender s : batch) {
            s.flush();
        }
        batch.clear();
    }

    /** The connection became writable again. */
    void writable(MeshConnection c) {
        if (!c.closed && c.sender.hasPending()) {
            c.sender.flush();
        }
    }
}
