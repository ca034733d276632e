package dev.weft.gossip.internal.core;

import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.internal.topology.PeerRecord;
import dev.weft.gossip.spi.Hello;
import dev.weft.gossip.spi.MeshMessage;
import dev.weft.gossip.spi.OverlayConnection;
import dev.weft.gossip.spi.OverlayConnectionParams;
import dev.weft.gossip.spi.OverlayEvents;
import dev.weft.gossip.spi.OverlayException;
import dev.weft.gossip.spi.TransportConnection;
import dev.weft.gossip.spi.TransportEvents;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Registers connections that completed their handshake (mesh's {@code AddConnection}): refuses
 * connections to ourselves and name collisions for good, breaks ties between duplicate connections
 * the same way at both ends (the smaller connection UID wins), enforces the connection limit with
 * referrals to other peers, prepares the overlay and starts message delivery. Transport threads
 * call in; the work runs on the mesh actor.
 */
final class TransportHandler implements TransportEvents {

    /** Most referrals sent with a connection-limit refusal. */
    static final int MAX_REFERRALS = 4;

    private final LocalMesh mesh;

    TransportHandler(LocalMesh mesh) {
        this.mesh = mesh;
    }

    @Override
    public void connected(TransportConnection c) {
        mesh.actor.execute(() -> register(c));
    }

    @Override
    public void dialFailed(InetSocketAddress address, Object attempt, String reason, boolean permanent) {
        mesh.actor.execute(() -> {
            if (attempt instanceof ConnectionMaker.Target t) {
                mesh.maker.failed(t, reason, permanent);
            }
        });
    }

    @Override
    public void inboundFailed(InetSocketAddress remote, String reason) {
        LocalMesh.log.info("inbound connection from {} failed: {}", remote, reason);
    }

    private ConnectionMaker.Target target(TransportConnection c) {
        return c.attempt() instanceof ConnectionMaker.Target t ? t : null;
    }

    private void refuse(
            TransportConnection c,
            MeshMessage.RefusalReason reason,
            String text,
            List<String> referrals,
            boolean permanent) {
        LocalMesh.log.info("{} {}: refusing: {}", c.outbound() ? "->" : "<-", c.remoteAddress(), text);
        if (reason == MeshMessage.RefusalReason.CONNECTION_LIMIT) {
            mesh.counters.countRefusedForLimit();
        }
        c.send(new MeshMessage.Refusal(reason, text, referrals));
        c.close(text);
        ConnectionMaker.Target t = target(c);
        if (t != null) {
            mesh.maker.failed(t, text, permanent);
        }
    }

    private void register(TransportConnection c) {
        if (mesh.isClosed()) {
            c.close("shutting down");
            return;
        }
        Hello remote = c.remote();
        ConnectionMaker.Target target = target(c);
        if (remote.name().equals(mesh.name())) {
            if (remote.uid().equals(mesh.uid())) {
                c.close("cannot connect to ourself");
                if (target != null) {
                    mesh.maker.failed(target, "cannot connect to ourself", true);
                }
            } else {
                refuse(
                        c,
                        MeshMessage.RefusalReason.NAME_COLLISION,
                        "peer name collision: " + remote.name() + " is our name too (our UID " + mesh.uid()
                                + ", theirs " + remote.uid() + ")",
                        List.of(),
                        true);
            }
            return;
        }
        MeshConnection existing = mesh.connection(remote.name());
        if (existing != null && !existing.transport.remote().uid().equals(remote.uid())) {
            // Another live peer already uses that name here: a collision, or a restart whose old
            // connection has not timed out yet. Refuse for now; a restart gets in on a retry.
            refuse(
                    c,
                    MeshMessage.RefusalReason.NAME_COLLISION,
                    "peer name collision: " + remote.name() + " is connected here already with UID "
                            + existing.transport.remote().uid() + ", this connection claims UID " + remote.uid(),
                    List.of(),
                    false);
            return;
        }
        if (existing != null) {
            int cmp = Long.compareUnsigned(c.connectionUid(), existing.transport.connectionUid());
            if (cmp >= 0) {
                String text = "multiple connections to " + remote.name() + "(" + remote.nickname() + ") added to "
                        + mesh.name() + ": keeping the one with the smaller connection UID";
                LocalMesh.log.debug(text);
                c.send(new MeshMessage.Refusal(MeshMessage.RefusalReason.DUPLICATE, text, List.of()));
                c.close(text);
                if (target != null) {
                    mesh.maker.connected(target, existing);
                }
                if (cmp == 0) {
                    mesh.closeConnection(existing, "duplicate connection with an equal UID");
                }
                return;
            }
            mesh.closeConnection(existing, "replaced by a duplicate connection with a smaller connection UID");
        }
        int limit = mesh.config.connectionLimit();
        if (limit > 0 && mesh.connectionCount() >= limit) {
            MeshConnection victim = mesh.peers.record(remote.name().value()) == null ? evictable() : null;
            if (victim == null) {
                refuse(
                        c,
                        MeshMessage.RefusalReason.CONNECTION_LIMIT,
                        "connection limit reached (" + limit + ")",
                        referrals(remote.name()),
                        false);
                return;
            }
            evict(victim, remote, limit);
        }
        MeshConnection mc =
                new MeshConnection(c, mesh.actor.now(), new GossipSender(c, mesh.name(), mesh.counters), target);
        OverlayConnection overlay;
        try {
            overlay = mesh.overlay.prepareConnection(new OverlayConnectionParams(
                    remote.name(),
                    remote.nickname(),
                    c.localAddress(),
                    c.remoteAddress(),
                    c.outbound(),
                    c.connectionUid(),
                    c.sessionKey(),
                    payload -> {
                        if (payload.length > dev.weft.gossip.spi.OverlayControlSender.MAX_BYTES) {
                            throw new IllegalArgumentException("overlay control message too large: " + payload.length);
                        }
                        c.send(new MeshMessage.OverlayControl(payload));
                    },
                    remote.features(),
                    new Events(mc)));
        } catch (OverlayException | RuntimeException e) {
            String text = "overlay " + mesh.overlay.name() + " refused the connection: " + e.getMessage();
            c.close(text);
            if (target != null) {
                mesh.maker.failed(target, text, false);
            }
            return;
        }
        mc.overlay = overlay;
        mesh.addConnection(mc);
        c.start(new Receiver(mc));
        if (target != null) {
            mesh.maker.connected(target, mc);
        }
        overlay.confirm();
    }

    /** How the reason of a connection closed to make room for a stranger starts. */
    static final String EVICTED = "evicted: ";

    /**
     * A peer at its connection limit admits a stranger (a peer its topology has no record of, so one
     * outside the part of the mesh it can reach) by closing the connection to the neighbour with the
     * most connections of its own: else a group of peers that filled their limits among themselves
     * (a full mesh of {@code limit + 1} peers, say) could never be joined, and the mesh would stay
     * partitioned. The victim is told with a connection-limit refusal, so it backs off rather than
     * redialling. Null if no neighbour can go: only established connections to peers that report
     * at least 2 others, never one we dialled as a direct target.
     */
    private MeshConnection evictable() {
        MeshConnection best = null;
        int most = 2;
        for (MeshConnection m : mesh.connectionArray()) {
            if (!m.established || m.closed || m.target != null && m.target.direct) {
                continue;
            }
            PeerRecord r = mesh.peers.record(m.remote.value());
            int n = r == null ? 0 : r.connectionCount();
            if (n > most) {
                best = m;
                most = n;
            }
        }
        return best;
    }

    private void evict(MeshConnection victim, Hello stranger, int limit) {
        String text = "connection limit reached (" + limit + "): making room for " + stranger.name() + "("
                + stranger.nickname() + "), a peer outside our topology";
        LocalMesh.log.info("{}: closing: {}", victim, text);
        mesh.counters.countRefusedForLimit();
        victim.transport.send(new MeshMessage.Refusal(MeshMessage.RefusalReason.CONNECTION_LIMIT, text, List.of()));
        mesh.closeConnection(victim, EVICTED + text);
    }

    /**
     * Addresses of peers that still have room for connections and are not connected to the asker
     * (as far as their records say), chosen at random. The candidates are collected at most once a
     * second (a full peer in a large mesh refuses often; an O(peers) scan per refusal was a hot spot).
     */
    private List<String> referrals(PeerName asker) {
        java.time.Instant now = mesh.actor.now();
        if (candidates == null || !now.isBefore(candidatesAt.plusSeconds(1))) {
            candidates = new ArrayList<>();
            candidatesAt = now;
            int room = mesh.maker.discoveryCap(); // in a partial mesh, peers below the target degree
            mesh.peers.forEach(e -> {
                PeerRecord r = e.record();
                if (r.version() > 0
                        && !r.name().equals(mesh.name())
                        && r.connectionCount() < room
                        && !r.advertisedAddresses().isEmpty()) {
                    candidates.add(r);
                }
            });
        }
        long askerName = asker.value();
        List<String> out = new ArrayList<>();
        int n = candidates.size();
        for (int tries = 0; tries < 4 * MAX_REFERRALS && out.size() < MAX_REFERRALS && n > 0; tries++) {
            PeerRecord r = candidates.get(mesh.random.nextInt(n));
            String a = PeerAddress.format(r.advertisedAddresses().getFirst());
            if (!r.name().equals(asker) && r.adjacency().indexOf(askerName) < 0 && !out.contains(a)) {
                out.add(a);
            }
        }
        return out;
    }

    private List<PeerRecord> candidates;
    private java.time.Instant candidatesAt;

    /** Overlay state changes, handed to the actor. */
    private final class Events implements OverlayEvents {
        private final MeshConnection mc;

        Events(MeshConnection mc) {
            this.mc = mc;
        }

        @Override
        public void established() {
            mesh.actor.execute(() -> mesh.connectionEstablished(mc));
        }

        @Override
        public void failed(String reason) {
            mesh.actor.execute(() -> mesh.closeConnection(mc, "overlay failed: " + reason));
        }
    }

    /** Messages and close events of one registered connection. */
    private final class Receiver implements TransportConnection.Receiver {
        private final MeshConnection mc;

        Receiver(MeshConnection mc) {
            this.mc = mc;
        }

        @Override
        public void message(MeshMessage message) {
            if (mesh.actor.inScheduler()) {
                handle(message); // the simulator's thread: no hand-off needed
            } else {
                mesh.actor.execute(() -> handle(message));
            }
        }

        private void handle(MeshMessage message) {
            if (message instanceof MeshMessage.Refusal r && !r.referrals().isEmpty() && isolated()) {
                referred(r.referrals());
            }
            mesh.dispatchMessage(mc, message);
        }

        /** True if no connection but this (refused) one is established. */
        private boolean isolated() {
            for (MeshConnection c : mesh.connectionArray()) {
                if (c != mc && c.established) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Referrals of a peer that refused us for its connection limit, while we are isolated: the
         * connection maker follows a few, with backoff ({@link ConnectionMaker#referred}), and none
         * to a peer our topology shows connected here or at its limit.
         */
        private void referred(List<String> referrals) {
            int limit = mesh.config.connectionLimit();
            List<InetSocketAddress> addresses = new ArrayList<>();
            for (String a : referrals) {
                InetSocketAddress address;
                try {
                    address = PeerAddress.parse(a, mesh.config.defaultPort());
                } catch (IllegalArgumentException e) {
                    LocalMesh.log.debug("ignoring bad referral {}: {}", a, e.getMessage());
                    continue;
                }
                PeerRecord known = mesh.peerAt(address);
                if (known != null
                        && (mesh.isConnected(known.name()) || limit > 0 && known.connectionCount() >= limit)) {
                    continue;
                }
                addresses.add(address);
            }
            mesh.maker.referred(addresses, a -> {
                PeerRecord r = mesh.peerAt(a);
                return r == null ? null : r.name();
            });
        }

        @Override
        public void writable() {
            mesh.actor.execute(() -> mesh.dispatchWritable(mc));
        }

        @Override
        public void closed(String reason) {
            mesh.actor.execute(() -> mesh.removeConnection(mc, reason));
        }
    }
}
