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
            refuse(
                    c,
                    MeshMessage.RefusalReason.CONNECTION_LIMIT,
                    "connection limit reached (" + limit + ")",
                    referrals(remote.name()),
                    false);
            return;
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
            int limit = mesh.config.connectionLimit();
            mesh.peers.forEach(e -> {
                PeerRecord r = e.record();
                if (r.version() > 0
                        && !r.name().equals(mesh.name())
                        && r.connectionCount() < limit
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
            if (message instanceof MeshMessage.Refusal r) {
                referred(r.referrals());
            }
            mesh.dispatchMessage(mc, message);
        }

        /**
         * Dials referrals only while we have room for more connections (below the discovery cap,
         * {@link ConnectionMaker#discoveryCap}), at most as many as there is room for, and none to a peer our topology shows connected here or at its limit: in a
         * mesh larger than the limit, every referral dialled regardless became another refusal
         * with more referrals.
         */
        private void referred(List<String> referrals) {
            int limit = mesh.config.connectionLimit();
            int room = limit <= 0 ? referrals.size() : limit - mesh.connectionCount() - mesh.maker.attempting();
            for (String a : referrals) {
                if (room <= 0) {
                    return;
                }
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
                mesh.maker.discovered(address, known == null ? null : known.name());
                room--;
            }
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
