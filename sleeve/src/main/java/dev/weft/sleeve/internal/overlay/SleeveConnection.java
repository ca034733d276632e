package dev.weft.sleeve.internal.overlay;

import dev.weft.gossip.api.Cancellable;
import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.api.Scheduler;
import dev.weft.gossip.spi.OverlayConnection;
import dev.weft.gossip.spi.OverlayConnectionParams;
import dev.weft.linux.api.Errno;
import dev.weft.sleeve.internal.control.ControlMessage;
import dev.weft.sleeve.internal.control.LinkHealth;
import dev.weft.sleeve.internal.control.PathMtuDiscovery;
import dev.weft.sleeve.internal.engine.ControlEvents;
import dev.weft.sleeve.internal.engine.SleeveLink;
import dev.weft.sleeve.internal.engine.UdpAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sleeve side of one mesh connection: its {@link SleeveLink}, heartbeats ({@link
 * LinkHealth}) and path-MTU discovery ({@link PathMtuDiscovery}). All state changes run on the
 * overlay's control actor; the receiving thread reports heartbeats and probes here and returns.
 */
final class SleeveConnection implements OverlayConnection, ControlEvents {
    private static final Logger log = LoggerFactory.getLogger(SleeveConnection.class);

    private final SleeveOverlay overlay;
    private final OverlayConnectionParams params;
    private final Scheduler actor;
    private final LinkHealth health;
    private final PathMtuDiscovery pmtu = new PathMtuDiscovery();
    private SleeveLink link;
    private Cancellable heartbeatTimer;
    private Cancellable probeTimer;
    private Cancellable recheckTimer;
    private volatile boolean stopped;
    private volatile String state = "prepared";
    private volatile boolean established;
    private int lastControlErrno;

    SleeveConnection(SleeveOverlay overlay, OverlayConnectionParams params, Scheduler actor) {
        this.overlay = overlay;
        this.params = params;
        this.actor = actor;
        var c = overlay.config();
        this.health = new LinkHealth(c.heartbeatFast(), c.heartbeatSlow(), c.heartbeatTimeout());
    }

    void attach(SleeveLink link) {
        this.link = link;
    }

    SleeveLink link() {
        return link;
    }

    @Override
    public void confirm() {
        actor.execute(() -> {
            if (stopped) {
                return;
            }
            overlay.engine().publish(link);
            health.start(actor.now());
            int route = overlay.routeMtu(link.remoteAddress());
            if (route > 0) {
                link.setPathMtu(route);
            }
            state = health.state();
            heartbeat();
        });
    }

    private void heartbeat() {
        if (stopped) {
            return;
        }
        if (health.timedOut(actor.now())) {
            fail("no sleeve heartbeat from " + params.remotePeer() + " for "
                    + overlay.config().heartbeatTimeout().toSeconds() + " s");
            return;
        }
        overlay.heartbeats().sendHeartbeat(link);
        heartbeatTimer = actor.scheduleBackground(health.interval(), this::heartbeat);
    }

    @Override
    public void controlMessage(byte[] message) {
        ControlMessage m;
        try {
            m = ControlMessage.decode(message);
        } catch (IllegalArgumentException e) {
            log.warn("sleeve: ignoring a bad control message from {}: {}", params.remotePeer(), e.getMessage());
            return;
        }
        actor.execute(() -> {
            if (stopped) {
                return;
            }
            if (m.type() == ControlMessage.HEARTBEAT_ACK && m.value() == link.connectionUid()) {
                health.ackReceived();
                maybeEstablished();
            } else if (m.type() == ControlMessage.PROBE_ACK) {
                next(pmtu.acked((int) m.value() + SleeveLink.IP_UDP_OVERHEAD));
            }
        });
    }

    /** Receiving thread: an authentic heartbeat. */
    @Override
    public void heartbeat(SleeveLink l, long from) {
        actor.execute(() -> {
            if (stopped) {
                return;
            }
            if (from != link.remoteAddress()) {
                log.info(
                        "sleeve: {} now sends from {} (was {})",
                        params.remotePeer(),
                        UdpAddress.toString(from),
                        UdpAddress.toString(link.remoteAddress()));
                link.remoteAddress(from);
            }
            health.heartbeatReceived(actor.now());
            params.control()
                    .send(ControlMessage.heartbeatAck(link.connectionUid()).encode());
            maybeEstablished();
        });
    }

    /** Receiving thread: an authentic probe. */
    @Override
    public void probe(SleeveLink l, int datagramLength) {
        if (!stopped) {
            params.control().send(ControlMessage.probeAck(datagramLength).encode());
        }
    }

    private void maybeEstablished() {
        state = health.state();
        if (health.becameEstablished()) {
            established = true;
            log.info(
                    "sleeve: connection to {} established ({})",
                    params.remotePeer(),
                    link.cipher().displayName());
            params.events().established();
            startDiscovery();
        }
    }

    private void startDiscovery() {
        if (stopped) {
            return;
        }
        if (recheckTimer != null) {
            recheckTimer.cancel();
        }
        int route = overlay.routeMtu(link.remoteAddress());
        sendProbe(pmtu.start(route > 0 ? route : link.pathMtu()));
        recheckTimer = actor.scheduleBackground(overlay.config().pathMtuRecheck(), this::startDiscovery);
    }

    private void sendProbe(int mtu) {
        if (mtu < 0) {
            settle();
            return;
        }
        lastControlErrno = 0;
        overlay.heartbeats().sendProbe(link, mtu - SleeveLink.IP_UDP_OVERHEAD);
        if (lastControlErrno == Errno.EMSGSIZE) {
            next(pmtu.refused());
            return;
        }
        int candidate = mtu;
        probeTimer = actor.schedule(pmtu.timeout(), () -> {
            if (!stopped && pmtu.running() && pmtu.candidate() == candidate) {
                next(pmtu.timedOut());
            }
        });
    }

    private void next(int mtu) {
        if (probeTimer != null) {
            probeTimer.cancel();
        }
        if (mtu < 0) {
            settle();
        } else {
            sendProbe(mtu);
        }
    }

    private void settle() {
        if (pmtu.result() > 0 && !pmtu.running() && pmtu.result() != link.pathMtu()) {
            log.info("sleeve: path MTU to {} is {}", params.remotePeer(), pmtu.result());
            link.setPathMtu(pmtu.result());
        }
    }

    /** A send on a data lane or the control lane failed (actor or data-plane thread). */
    void sendFailed(int errno) {
        lastControlErrno = errno;
        if (errno == Errno.EMSGSIZE && !actor.inScheduler()) {
            actor.execute(() -> {
                if (!pmtu.running()) {
                    startDiscovery();
                }
            });
        }
    }

    private void fail(String reason) {
        state = "failed: " + reason;
        log.warn("sleeve: {}", reason);
        params.events().failed(reason);
    }

    @Override
    public boolean forward(PeerName source, PeerName destination, ByteBuffer frame) {
        if (stopped || link == null) {
            return false;
        }
        return overlay.engine().sendForeign(link, source.value(), destination.value(), frame);
    }

    @Override
    public void stop() {
        stopped = true;
        actor.execute(() -> {
            for (Cancellable c : new Cancellable[] {heartbeatTimer, probeTimer, recheckTimer}) {
                if (c != null) {
                    c.cancel();
                }
            }
            if (link != null) {
                overlay.engine().unpublish(link);
                link.close();
            }
            overlay.forget(this);
        });
    }

    boolean isEstablished() {
        return established;
    }

    String state() {
        return state;
    }

    @Override
    public Map<String, String> attrs() {
        Map<String, String> a = new LinkedHashMap<>();
        if (link != null) {
            a.put("mtu", Integer.toString(link.frameMtu()));
            a.put("encrypted", link.cipher().encrypts() ? link.cipher().displayName() : "false");
            a.put("remote", UdpAddress.toString(link.remoteAddress()));
        }
        a.put("state", state.replace(' ', '-'));
        return a;
    }

    Duration heartbeatInterval() {
        return health.interval();
    }
}
