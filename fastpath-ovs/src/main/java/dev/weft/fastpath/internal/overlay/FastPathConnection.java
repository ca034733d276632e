package dev.weft.fastpath.internal.overlay;

import dev.weft.fastpath.api.FastPathStatus;
import dev.weft.fastpath.internal.driver.PeerPath;
import dev.weft.fastpath.internal.health.PathHealth;
import dev.weft.fastpath.internal.wire.ControlMessage;
import dev.weft.fastpath.internal.wire.HeartbeatFrame;
import dev.weft.gossip.api.Cancellable;
import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.api.Scheduler;
import dev.weft.gossip.spi.OverlayConnection;
import dev.weft.gossip.spi.OverlayConnectionParams;
import dev.weft.gossip.spi.OverlayEvents;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fast path of one mesh connection. Sends a heartbeat through the kernel data path every
 * interval, acknowledges the peer's over the connection's control channel, and lets {@link
 * PathHealth} decide: while both directions pass, the driver carries the peer's pod frames and
 * {@link #forward} claims the frames the kernel already carried; when either direction is silent
 * for the timeout, the connection reports itself {@linkplain OverlayEvents#suspended suspended}, the
 * driver stops (and keeps forgetting what it learnt from the peer) and {@link #forward} answers
 * false, so the overlay switch sends frames by sleeve; when heartbeats pass again it {@linkplain
 * OverlayEvents#resumed resumes}. A fallback never fails the mesh connection.
 *
 * <p>All state changes run on the overlay's actor; {@link #forward} reads one volatile flag.
 */
final class FastPathConnection implements OverlayConnection {
    private static final Logger log = LoggerFactory.getLogger(FastPathConnection.class);

    private final FastPathOverlay overlay;
    private final OverlayConnectionParams params;
    private final PeerPath path;
    private final Scheduler actor;
    private final PathHealth health;
    private final ByteBuffer heartbeat;
    private final int heartbeatLength;
    private Cancellable timer;
    private boolean confirmed;
    /** Confirmed and the driver set up: heartbeats run. */
    private boolean running;

    private boolean established;
    private volatile boolean stopped;
    /** The driver carries this peer's pod frames: read by {@link #forward} on data-plane threads. */
    private volatile boolean carrying;

    private volatile String state = "pending";
    private volatile String reason = "not confirmed yet";
    private volatile FastPathStatus.Link status;

    FastPathConnection(FastPathOverlay overlay, OverlayConnectionParams params, PeerPath path, Scheduler actor) {
        this.overlay = overlay;
        this.params = params;
        this.path = path;
        this.actor = actor;
        var c = overlay.config();
        this.health = new PathHealth(c.fastInterval(), c.heartbeatInterval(), c.heartbeatTimeout());
        // As long as the largest pod frame: a path that cannot carry those loses the heartbeats too.
        this.heartbeatLength =
                Math.max(HeartbeatFrame.MIN_LENGTH, overlay.driver().mtu() + 14);
        this.heartbeat = ByteBuffer.allocateDirect(heartbeatLength);
        publish();
    }

    PeerPath path() {
        return path;
    }

    @Override
    public void confirm() {
        actor.execute(() -> {
            if (stopped || confirmed) {
                return;
            }
            confirmed = true;
            try {
                overlay.driver().addPeer(path);
            } catch (RuntimeException e) {
                reason = "could not set up the fast path to the peer: " + e.getMessage();
                log.warn("fastpath: {}: {}", path.peer(), reason);
                publish();
                return; // stays pending: sleeve carries the connection
            }
            running = true;
            overlay.updateSleeveFlooding(); // not carried yet: sleeve needs the frames meanwhile
            health.start(actor.now());
            tick();
        });
    }

    /** Every interval: send a heartbeat, re-evaluate, and keep a failed peer's learnt state purged. */
    private void tick() {
        if (stopped) {
            return;
        }
        sendHeartbeat();
        evaluate();
        if (!carrying) {
            try {
                overlay.driver().purge(path);
            } catch (RuntimeException e) {
                log.debug("fastpath: purge for {} failed: {}", path.peer(), e.toString());
            }
        }
        timer = actor.scheduleBackground(health.interval(), this::tick);
    }

    private void sendHeartbeat() {
        long sequence = health.nextSequence();
        heartbeat.clear();
        HeartbeatFrame.encode(
                heartbeat,
                path.heartbeatMac(),
                overlay.driver().heartbeatMac(),
                overlay.self().value(),
                path.connectionUid(),
                sequence,
                heartbeatLength);
        heartbeat.flip();
        try {
            overlay.driver().sendHeartbeat(path, heartbeat);
        } catch (RuntimeException e) {
            // A send that fails is a lost heartbeat: the timeout decides, as for any loss.
            log.debug("fastpath: heartbeat to {} not sent: {}", path.peer(), e.toString());
        }
    }

    private void evaluate() {
        PathHealth.Transition t = health.evaluate(actor.now());
        if (t == PathHealth.Transition.BECAME_HEALTHY) {
            try {
                overlay.driver().setCarrying(path, true);
                carrying = true;
                log.info(
                        "fastpath: {} carries the connection to {} ({})",
                        overlay.driver().kind(),
                        path.peer(),
                        path.remote().getHostAddress());
            } catch (RuntimeException e) {
                log.warn("fastpath: could not start carrying frames to {}: {}", path.peer(), e.toString());
            }
            overlay.updateSleeveFlooding();
            // Frames sleeve delivered taught the bridge that the peer's pods are behind sleeve's
            // port; forget that now, and once more when the peer has surely switched too.
            overlay.forgetSleeveMacs();
            actor.schedule(overlay.config().fastInterval().multipliedBy(2), () -> {
                if (carrying) {
                    overlay.forgetSleeveMacs();
                }
            });
            if (!established) {
                established = true;
                params.events().established();
            } else {
                params.events().resumed();
            }
        } else if (t == PathHealth.Transition.BECAME_UNHEALTHY) {
            carrying = false;
            log.warn("fastpath: connection to {} falls back to sleeve: {}", path.peer(), health.reason());
            // The switch and sleeve's port first: from now on the router must carry this peer's frames.
            params.events().suspended(health.reason());
            overlay.updateSleeveFlooding();
            try {
                overlay.driver().setCarrying(path, false);
            } catch (RuntimeException e) {
                log.warn("fastpath: could not stop carrying frames to {}: {}", path.peer(), e.toString());
            }
        }
        publish();
    }

    @Override
    public void controlMessage(byte[] message) {
        ControlMessage m;
        try {
            m = ControlMessage.decode(message);
        } catch (IllegalArgumentException e) {
            log.warn("fastpath: ignoring a bad control message from {}: {}", path.peer(), e.getMessage());
            return;
        }
        if (m.connectionUid() != path.connectionUid()) {
            return;
        }
        actor.execute(() -> {
            if (!stopped && running) {
                health.ackReceived(m.value(), actor.now());
                evaluate();
            }
        });
    }

    /** Driver thread: the peer's heartbeat {@code sequence} arrived through the fast path. */
    void heartbeatReceived(long sequence) {
        actor.execute(() -> {
            if (stopped || !running) {
                return;
            }
            health.heartbeatReceived(actor.now());
            params.control()
                    .send(ControlMessage.heartbeatAck(path.connectionUid(), sequence)
                            .encode());
            evaluate();
        });
    }

    /**
     * Claims the frames the kernel carries for this connection: those that entered the mesh here,
     * were flooded (broadcast, multicast, or unknown to the router), and so went into the fast path
     * as well as up to the router. Unicast frames and frames relayed for other peers are refused
     * (the fast path carries only its own hop): sleeve sends them. Flooded frames are refused too
     * while some reachable peer is reached through others ({@link FastPathOverlay#relaying()}):
     * the kernel hands a frame from the tunnel to local pods only, so the peer's router would never
     * relay it along the broadcast tree (a partial mesh's pods could not even resolve each other's
     * addresses); sleeve carries them then, and the peer's pods see them twice. Any thread;
     * allocates nothing.
     */
    @Override
    public boolean forward(PeerName source, PeerName destination, ByteBuffer frame) {
        if (!carrying || !source.equals(overlay.self())) {
            return false;
        }
        if (destination.isUnknown()) {
            return !overlay.relaying(); // flooded: the bridge flooded it into the fast path as well
        }
        if (!destination.equals(path.peer())) {
            return false;
        }
        if ((frame.get(frame.position()) & 0x01) != 0) {
            return !overlay.relaying(); // a group address: flooded into the fast path as well
        }
        // A unicast frame for the peer reached userspace: the bridge either flooded an unknown
        // MAC (the fast path then has it too, and sleeve sends a duplicate) or still has the MAC
        // behind sleeve's port from when sleeve carried the peer (the fast path does not have it).
        // Sleeve carries it, and the bridge is made to forget, so the next ones stay in the kernel.
        overlay.sleeveMacsStale();
        return false;
    }

    /** True while the fast path carries this connection's pod frames. */
    boolean carrying() {
        return carrying;
    }

    @Override
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        carrying = false;
        actor.execute(() -> {
            if (timer != null) {
                timer.cancel();
            }
            try {
                if (confirmed) {
                    overlay.driver().removePeer(path);
                }
            } catch (RuntimeException e) {
                log.warn("fastpath: removing {} from the kernel failed: {}", path.peer(), e.toString());
            }
            overlay.forget(this);
        });
    }

    @Override
    public Map<String, String> attrs() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("driver", overlay.driver().kind());
        a.put("mtu", Integer.toString(overlay.driver().mtu()));
        a.put("state", state);
        if (!reason.isEmpty()) {
            a.put("reason", reason);
        }
        return a;
    }

    FastPathStatus.Link status() {
        return status;
    }

    /** Actor (or constructor): refreshes what other threads read. */
    private void publish() {
        if (running) {
            state = health.state().name().toLowerCase(Locale.ROOT);
            reason = health.reason();
        }
        status = new FastPathStatus.Link(
                path.peer(),
                path.remote().getHostAddress(),
                state,
                reason,
                health.heartbeatsSent(),
                health.acksReceived(),
                health.heartbeatsReceived(),
                health.failures());
    }
}
