package dev.weft.fastpath.internal.overlay;

import dev.weft.fastpath.api.FastPathConfig;
import dev.weft.fastpath.api.FastPathStatus;
import dev.weft.fastpath.internal.driver.Driver;
import dev.weft.fastpath.internal.driver.PeerPath;
import dev.weft.fastpath.internal.wire.FastPathFeature;
import dev.weft.fastpath.internal.wire.HeartbeatFrame;
import dev.weft.gossip.api.Mesh;
import dev.weft.gossip.api.PeerInfo;
import dev.weft.gossip.api.PeerListener;
import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.api.Scheduler;
import dev.weft.gossip.spi.Overlay;
import dev.weft.gossip.spi.OverlayConnection;
import dev.weft.gossip.spi.OverlayConnectionParams;
import dev.weft.gossip.spi.OverlayException;
import java.net.Inet4Address;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fast path as a mesh {@link Overlay}: announces its driver, port, MTU and heartbeat MAC in
 * the handshake, refuses connections it must not or cannot carry (encrypted ones, peers without a
 * fast path or with another driver, port or MTU) with the reason, and gives every other connection
 * a {@link FastPathConnection} whose heartbeats decide whether it carries pod frames.
 *
 * <p>State changes run on one actor from the mesh's environment; the driver is only called there.
 */
public final class FastPathOverlay implements Overlay {
    private static final Logger log = LoggerFactory.getLogger(FastPathOverlay.class);
    public static final String NAME = "fastpath";
    /** Least time between two flushes of sleeve's learnt MACs asked for by the data plane. */
    static final Duration SLEEVE_FLUSH_GAP = Duration.ofSeconds(1);

    private final Driver driver;
    private final FastPathConfig config;
    /** By connection UID: where arriving heartbeats are dispatched. */
    private final Map<Long, FastPathConnection> connections = new ConcurrentHashMap<>();

    private final Map<PeerName, Integer> shortIds = new HashMap<>();
    /** Every other peer a path leads to (actor only). */
    private final Set<PeerName> reachable = new HashSet<>();
    /** What sleeve's port was last set to (actor only); null before the first decision. */
    private Boolean sleeveFlooding;
    /** Some reachable peer has no connection here: others relay to it (written on the actor). */
    private volatile boolean relaying;

    private volatile Scheduler actor;
    private volatile PeerName self;
    private int selfShortId = -1;
    private volatile boolean stopped;
    /** A flush of sleeve's learnt MACs is scheduled (set by data-plane threads, cleared on the actor). */
    private final AtomicBoolean sleeveFlushPending = new AtomicBoolean();

    private final Runnable sleeveFlush = this::flushSleeveMacs;
    private Instant lastSleeveFlush;

    public FastPathOverlay(Driver driver, FastPathConfig config) {
        this.driver = driver;
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start(Mesh mesh) {
        this.self = mesh.name();
        this.actor = mesh.environment().newActor("fastpath");
        mesh.addPeerListener(new PeerTracker(), actor);
        actor.execute(this::updateSleeveFlooding);
    }

    @Override
    public void addFeaturesTo(Map<String, String> features) {
        features.put(FastPathFeature.KEY, localFeature().encode());
    }

    FastPathFeature localFeature() {
        return new FastPathFeature(
                FastPathFeature.VERSION, driver.kind(), driver.udpPort(), driver.mtu(), driver.heartbeatMac());
    }

    @Override
    public OverlayConnection prepareConnection(OverlayConnectionParams params) throws OverlayException {
        Scheduler a = actor;
        if (a == null || stopped) {
            throw new OverlayException("the fast path is not running");
        }
        if (params.sessionKey().isPresent()) {
            throw new OverlayException("connection is encrypted and the fast path does not encrypt yet");
        }
        String offered = params.remoteFeatures().get(FastPathFeature.KEY);
        FastPathFeature remote = FastPathFeature.parse(offered)
                .orElseThrow(() -> new OverlayException(
                        offered == null
                                ? "peer offers no fast path"
                                : "peer's fast-path feature is not understood: " + abbreviate(offered)));
        FastPathFeature local = localFeature();
        if (!remote.driver().equals(local.driver())) {
            throw new OverlayException("peer's fast path uses the " + remote.driver() + " driver, ours "
                    + local.driver() + " (their encapsulations differ)");
        }
        if (remote.port() != local.port()) {
            throw new OverlayException("peer's fast path uses UDP port " + remote.port() + ", ours " + local.port());
        }
        if (remote.mtu() != local.mtu()) {
            throw new OverlayException("peer's fast-path MTU is " + remote.mtu() + ", ours " + local.mtu());
        }
        if (local.heartbeatMac() != 0 && remote.heartbeatMac() == 0) {
            throw new OverlayException("peer announced no heartbeat address");
        }
        if (!(params.remoteAddress().getAddress() instanceof Inet4Address remoteIp)
                || !(params.localAddress().getAddress() instanceof Inet4Address localIp)) {
            throw new OverlayException("the fast path needs an IPv4 underlay; peer is at " + params.remoteAddress());
        }
        PeerPath path =
                new PeerPath(params.remotePeer(), params.connectionUid(), remoteIp, localIp, remote.heartbeatMac());
        FastPathConnection c = new FastPathConnection(this, params, path, a);
        FastPathConnection before = connections.putIfAbsent(params.connectionUid(), c);
        if (before != null) {
            throw new OverlayException("connection UID " + Long.toHexString(params.connectionUid()) + " is in use");
        }
        return c;
    }

    /** Driver thread: a heartbeat arrived; hand it to its connection. */
    public void heartbeatArrived(HeartbeatFrame.Heartbeat heartbeat) {
        FastPathConnection c = connections.get(heartbeat.connectionUid());
        if (c == null || c.path().peer().value() != heartbeat.sender()) {
            return; // a connection that is gone, or a forgery
        }
        c.heartbeatReceived(heartbeat.sequence());
    }

    void forget(FastPathConnection c) {
        connections.remove(c.path().connectionUid(), c);
        updateSleeveFlooding();
    }

    /**
     * Actor: sleeve's port needs flooded frames only while some connection or some reachable peer
     * is not carried by the fast path (it is on sleeve, or reached through another peer); otherwise
     * userspace need not see a single pod frame.
     */
    void updateSleeveFlooding() {
        if (stopped) {
            return;
        }
        boolean needed = false;
        for (FastPathConnection c : connections.values()) {
            needed |= !c.carrying();
        }
        boolean indirect = false;
        for (PeerName p : reachable) {
            needed |= !carried(p);
            indirect |= !connected(p);
        }
        if (indirect != relaying) {
            relaying = indirect;
            log.debug(
                    "fastpath: flooded frames {}",
                    indirect ? "go by sleeve too (a peer is reached through others)" : "stay in the fast path");
        }
        if (sleeveFlooding == null || sleeveFlooding != needed) {
            try {
                driver.setSleeveFlooding(needed);
                sleeveFlooding = needed;
                log.debug("fastpath: flooding to sleeve's port {}", needed ? "on" : "off");
            } catch (RuntimeException e) {
                log.warn(
                        "fastpath: could not turn flooding to sleeve's port {}: {}",
                        needed ? "on" : "off",
                        e.toString());
            }
        }
    }

    /**
     * Any thread; allocates nothing unless a flush is due. A unicast frame for a carried peer came
     * up to userspace, so the bridge has that MAC behind sleeve's port from the time sleeve carried
     * the peer: make it forget (at most once per {@link #SLEEVE_FLUSH_GAP}).
     */
    void sleeveMacsStale() {
        Scheduler a = actor;
        if (a != null && sleeveFlushPending.compareAndSet(false, true)) {
            a.execute(sleeveFlush);
        }
    }

    /** Actor: the bridge forgets what it learnt behind sleeve's port, now. */
    void forgetSleeveMacs() {
        lastSleeveFlush = actor.now();
        try {
            driver.forgetSleeveMacs();
        } catch (RuntimeException e) {
            log.warn("fastpath: could not flush the MACs learnt on sleeve's port: {}", e.toString());
        }
    }

    private void flushSleeveMacs() {
        if (stopped) {
            return;
        }
        if (lastSleeveFlush != null) {
            Duration since = Duration.between(lastSleeveFlush, actor.now());
            if (since.compareTo(SLEEVE_FLUSH_GAP) < 0) {
                actor.schedule(SLEEVE_FLUSH_GAP.minus(since), sleeveFlush);
                return;
            }
        }
        sleeveFlushPending.set(false);
        forgetSleeveMacs();
    }

    /**
     * Any thread. True while some reachable peer has no connection here (it is reached through
     * other peers, or its connection is one the fast path refused): a peer that got a flooded
     * frame through the fast path could not relay it (the frame never reaches its router), so
     * flooded frames go by sleeve as well then, and peers on the fast path see them twice.
     */
    boolean relaying() {
        return relaying;
    }

    private boolean connected(PeerName peer) {
        for (FastPathConnection c : connections.values()) {
            if (c.path().peer().equals(peer)) {
                return true;
            }
        }
        return false;
    }

    private boolean carried(PeerName peer) {
        for (FastPathConnection c : connections.values()) {
            if (c.carrying() && c.path().peer().equals(peer)) {
                return true;
            }
        }
        return false;
    }

    Driver driver() {
        return driver;
    }

    FastPathConfig config() {
        return config;
    }

    PeerName self() {
        return self;
    }

    @Override
    public Map<String, Object> diagnostics() {
        Map<String, Object> d = new LinkedHashMap<>(driver.diagnostics());
        List<Map<String, String>> conns = new ArrayList<>();
        for (FastPathConnection c : connections.values()) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("peer", c.path().peer().toString());
            m.putAll(c.attrs());
            conns.add(m);
        }
        d.put("connections", conns);
        return d;
    }

    /** One link per connection, sorted by peer. Any thread. */
    public FastPathStatus status() {
        List<FastPathStatus.Link> links = new ArrayList<>();
        for (FastPathConnection c : connections.values()) {
            links.add(c.status());
        }
        links.sort(Comparator.comparing(FastPathStatus.Link::peer));
        return new FastPathStatus(
                driver.kind(), driver.port(), driver.udpPort(), driver.mtu(), List.copyOf(links), driver.counters());
    }

    @Override
    public void stop() {
        stopped = true;
        for (FastPathConnection c : List.copyOf(connections.values())) {
            c.stop();
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    /**
     * Keeps the set of reachable peers and the driver's short IDs (ODP puts them into every VNI)
     * current. Runs on the actor.
     */
    private final class PeerTracker implements PeerListener {
        @Override
        public void peerAdded(PeerInfo peer) {
            update(peer);
        }

        @Override
        public void peerUpdated(PeerInfo previous, PeerInfo current) {
            update(current);
        }

        @Override
        public void peerRemoved(PeerInfo last) {
            if (reachable.remove(last.name())) {
                updateSleeveFlooding();
            }
            if (shortIds.remove(last.name()) != null) {
                changed();
            }
        }

        private void update(PeerInfo peer) {
            if (!peer.local() && (peer.reachable() ? reachable.add(peer.name()) : reachable.remove(peer.name()))) {
                updateSleeveFlooding();
            }
            if (!driver.needsShortIds()) {
                return;
            }
            int id = peer.shortId().map(s -> s.value()).orElse(-1);
            if (peer.local()) {
                if (id != selfShortId) {
                    selfShortId = id;
                    changed();
                }
                return;
            }
            Integer before = id < 0 ? shortIds.remove(peer.name()) : shortIds.put(peer.name(), id);
            if (before == null ? id >= 0 : before != id) {
                changed();
            }
        }

        private void changed() {
            if (!stopped) {
                log.debug("fastpath: short IDs changed: self {} peers {}", selfShortId, shortIds);
                driver.shortIdsChanged(selfShortId, Map.copyOf(shortIds));
            }
        }
    }
}
