package dev.weft.gossip.internal.core;

import dev.weft.gossip.api.Cancellable;
import dev.weft.gossip.api.ConnectionInfo;
import dev.weft.gossip.api.Environment;
import dev.weft.gossip.api.GossipChannel;
import dev.weft.gossip.api.Gossiper;
import dev.weft.gossip.api.Mesh;
import dev.weft.gossip.api.MeshConfig;
import dev.weft.gossip.api.MeshStatus;
import dev.weft.gossip.api.PeerInfo;
import dev.weft.gossip.api.PeerListener;
import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.api.PeerUid;
import dev.weft.gossip.api.Routes;
import dev.weft.gossip.api.Scheduler;
import dev.weft.gossip.api.Topology;
import dev.weft.gossip.internal.topology.PeerRecord;
import dev.weft.gossip.internal.topology.PeerRecordCodec;
import dev.weft.gossip.internal.topology.Peers;
import dev.weft.gossip.internal.topology.RecordCache;
import dev.weft.gossip.internal.topology.RouteTable;
import dev.weft.gossip.internal.topology.TopologyDigest;
import dev.weft.gossip.internal.topology.TopologyGossiper;
import dev.weft.gossip.spi.Hello;
import dev.weft.gossip.spi.Membership;
import dev.weft.gossip.spi.MeshMessage;
import dev.weft.gossip.spi.Overlay;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One peer of the mesh: the local peer's connections and record, the topology, routes, gossip
 * channels and the connection maker, all confined to one actor ({@link #actor}). Transport and
 * API calls from other threads are handed to the actor.
 */
public final class LocalMesh implements Mesh {

    static final Logger log = LoggerFactory.getLogger(LocalMesh.class);

    final MeshConfig config;
    final Environment env;
    final Scheduler actor;
    final RandomGenerator random;
    final dev.weft.gossip.spi.Transport transport;
    final Overlay overlay;
    private final Membership membership;
    private final PeerName name;
    private final PeerUid uid;
    final MeshCounters counters = new MeshCounters();

    final TreeMap<PeerName, MeshConnection> connections = new TreeMap<>();
    // The same connections by name value: isConnected() runs for every record applied.
    private final dev.weft.gossip.internal.topology.LongObjectMap<MeshConnection> connectionsByName =
            new dev.weft.gossip.internal.topology.LongObjectMap<>();
    private MeshConnection[] connectionArray = new MeshConnection[0];
    final Peers peers;
    final Channels channels;
    final TopologyGossiper topology;
    final ConnectionMaker maker;
    private final MessageDispatch dispatch;
    // The version of our current record (peers.local()): the announced one's, or one more while a
    // change waits for the batch. Versions advance only when the record to announce differs from
    // the last announced one (see ensureLocal).
    private long version;
    private long versionFloor; // staleSelf: the next version must exceed this
    private boolean localDirty;
    private PeerRecord announced;
    private volatile int shortId;
    private volatile Map<String, String> overlayFeatures = Map.of();

    private volatile RouteTable routes;
    private volatile boolean routesDirty;
    private boolean routeRecalcScheduled;
    private java.time.Instant lastRouteCalc;
    private boolean topologyBatchArmed;
    private final Map<Long, Integer> selfBumps = new HashMap<>();
    private static final int MAX_SELF_BUMPS = 3;
    private boolean gcArmed;
    private boolean started;
    private boolean closed;
    private Cancellable gossipTimer;
    private Cancellable digestTimer;

    private final List<ListenerEntry> peerListeners = new CopyOnWriteArrayList<>();
    private final List<RoutesListenerEntry> routesListeners = new CopyOnWriteArrayList<>();

    private record ListenerEntry(PeerListener listener, Executor executor) {}

    private record RoutesListenerEntry(Runnable listener, Executor executor) {}

    /**
     * Builds a peer; nothing happens until {@link #start()}.
     *
     * @param recordCache {@link RecordCache#NONE} in production; the simulator shares one
     */
    public LocalMesh(
            MeshConfig config,
            Environment env,
            dev.weft.gossip.spi.Transport transport,
            Overlay overlay,
            Membership membership,
            PeerUid uid,
            RecordCache recordCache) {
        this.config = config;
        this.env = env;
        this.actor = env.newActor("mesh-" + config.name());
        this.random = env.newRandom();
        this.transport = transport;
        this.overlay = overlay;
        this.membership = membership;
        this.name = config.name();
        this.uid = uid;
        this.shortId = random.nextInt(4096);
        this.version = 1;
        this.announced = encodeLocal(version);
        this.peers = new Peers(announced, this::reachabilityChanged);
        this.channels = new Channels(actor, config.gossipInterval());
        this.maker = new ConnectionMaker(this, config, actor, random, transport);
        this.routes = RouteTable.empty(name);
        this.dispatch = new MessageDispatch(this);
        this.topology = new TopologyGossiper(peers, () -> announced, recordCache, new TopologyEffects());
        channels.register(TopologyGossiper.CHANNEL, topology, null);
    }

    // ---------------------------------------------------------------- identity and local record

    @Override
    public PeerName name() {
        return name;
    }

    @Override
    public PeerUid uid() {
        return uid;
    }

    @Override
    public Environment environment() {
        return env;
    }

    /** Message counters (benchmarks, metrics). */
    public MeshCounters counters() {
        return counters;
    }

    /** The identity sent in handshakes. Any thread (reads only volatile or immutable state). */
    Hello hello() {
        Map<String, String> features = new HashMap<>(overlayFeatures);
        features.put("port", Integer.toString(transport.listenAddress().getPort()));
        features.put(TopologyDigest.FEATURE, TopologyDigest.FEATURE_VALUE);
        int sid = shortId;
        return new Hello(
                name,
                uid,
                config.nickname(),
                sid < 0 ? Optional.empty() : Optional.of(dev.weft.gossip.api.ShortId.of(sid)),
                0,
                features);
    }

    private PeerRecord encodeLocal(long recordVersion) {
        List<ConnectionInfo> conns = new ArrayList<>(connections.size());
        TreeSet<String> seenIps = new TreeSet<>();
        List<InetSocketAddress> advertised = new ArrayList<>();
        InetSocketAddress listen = transport.listenAddress();
        if (listen != null && listen.getPort() == 0) {
            listen = null; // not bound yet: nothing to advertise
        }
        if (listen != null
                && listen.getAddress() != null
                && !listen.getAddress().isAnyLocalAddress()) {
            advertised.add(listen);
            seenIps.add(listen.getAddress().getHostAddress());
        }
        for (MeshConnection c : connections.values()) {
            conns.add(new ConnectionInfo(c.remote, c.recordedAddress, c.transport.outbound(), c.established));
            InetSocketAddress local = c.transport.localAddress();
            if (listen != null
                    && local != null
                    && local.getAddress() != null
                    && seenIps.add(local.getAddress().getHostAddress())
                    && advertised.size() < 4) {
                advertised.add(new InetSocketAddress(local.getAddress(), listen.getPort()));
            }
        }
        return PeerRecordCodec.encode(name, uid.value(), recordVersion, shortId, config.nickname(), advertised, conns);
    }

    /**
     * Our record may have changed: re-encode it lazily and gossip it within one batch period if it
     * differs from the one last announced. A connection registered and closed again within the
     * batch (a dial refused for the connection limit) changes nothing and costs no version.
     */
    void localChanged() {
        localDirty = true;
        routesChanged();
        gcIfDue();
        if (!topologyBatchArmed && started && !closed) {
            topologyBatchArmed = true;
            actor.schedule(config.topologyBatch(), () -> {
                topologyBatchArmed = false;
                if (!closed) {
                    ensureLocal();
                    if (peers.local() != announced) {
                        announced = peers.local();
                        counters.countRecordAnnounced();
                        dispatch.announce(dev.weft.gossip.internal.topology.TopologyUpdate.of(announced));
                    }
                }
            });
        }
    }

    /**
     * Encodes our record if it changed since last time. Encoding is O(connections), so it is done
     * lazily (before announcing, route calculation, GC and snapshots), not on every change.
     */
    void ensureLocal() {
        if (localDirty) {
            localDirty = false;
            PeerRecord r = pendingLocal();
            version = r.version();
            if (r != peers.local()) {
                peers.setLocal(r);
            }
        }
    }

    /**
     * Our record as it stands: the announced one if nothing but the version would differ, else a
     * new encoding one version above it (or above a circulating stale incarnation's).
     */
    private PeerRecord pendingLocal() {
        long next = Math.max(announced.version(), versionFloor) + 1;
        PeerRecord r = encodeLocal(next);
        if (versionFloor < announced.version() && r.sameContentAs(announced)) {
            return announced;
        }
        PeerRecord current = peers.local();
        return current.version() == next && r.sameContentAs(current) ? current : r;
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void start() {
        onActor(() -> {
            if (started || closed) {
                return null;
            }
            started = true;
            overlay.start(this);
            Map<String, String> features = new HashMap<>();
            overlay.addFeaturesTo(features);
            overlayFeatures = Map.copyOf(features);
            transport.start(this::hello, new TransportHandler(this));
            announced = encodeLocal(version); // the listen address is known now
            peers.setLocal(announced);
            if (membership != null) {
                InetSocketAddress listen = transport.listenAddress();
                membership.start(
                        new Membership.Member(name, uid, config.nickname(), listen), new MembershipHints(this));
            }
            scheduleGossip();
            scheduleDigests();
            return null;
        });
    }

    /** How long a peer waits before its digest on a new connection if it sent one on another. */
    static final Duration DIGEST_STAGGER = Duration.ofMillis(200);

    private java.time.Instant lastConnectDigest;

    /**
     * How often a peer that is not connected to every peer it knows sends its topology digest to
     * one random neighbour (anti-entropy; about 22 bytes per known peer). Relays reach most peers
     * once (see MessageDispatch.relayGossip); this repairs the rest within a second or so.
     */
    static final Duration DIGEST_INTERVAL = Duration.ofMillis(500);

    private void scheduleDigests() {
        digestTimer = actor.scheduleBackground(DIGEST_INTERVAL, () -> {
            if (closed) {
                return;
            }
            if (peers.size() > connections.size() + 1) {
                dispatch.digestToNeighbour(); // in a full mesh every record comes from its owner
                maker.fillIfRoom(); // a partial mesh below its target degree (peers left, dials failed)
            }
            scheduleDigests();
        });
    }

    private void scheduleGossip() {
        gossipTimer = actor.scheduleBackground(config.gossipInterval(), () -> {
            if (closed) {
                return;
            }
            dispatch.periodicGossip();
            scheduleGossip();
        });
    }

    @Override
    public void close() {
        Runnable stop = () -> {
            if (closed) {
                return;
            }
            closed = true;
            if (gossipTimer != null) {
                gossipTimer.cancel();
            }
            if (digestTimer != null) {
                digestTimer.cancel();
            }
            maker.stop();
            for (MeshConnection c : new ArrayList<>(connections.values())) {
                c.transport.close("shutting down");
                if (c.overlay != null) {
                    c.overlay.stop();
                }
            }
            connections.clear();
            connectionsByName.clear();
            if (membership != null) {
                membership.close();
            }
            overlay.stop();
        };
        if (actor.inScheduler()) {
            stop.run();
        } else {
            CompletableFuture<Void> done = new CompletableFuture<>();
            actor.execute(() -> {
                stop.run();
                done.complete(null);
            });
            join(done);
        }
        transport.close();
    }

    boolean isClosed() {
        return closed;
    }

    // ---------------------------------------------------------------- connections

    boolean isConnected(PeerName peer) {
        return connectionsByName.get(peer.value()) != null;
    }

    MeshConnection connection(PeerName peer) {
        return connections.get(peer);
    }

    /**
     * The connected peer that listens at {@code address}: an outbound connection to it, or a peer
     * whose topology record advertises it. Null if none. Lets the connection maker recognise a
     * target it never reached itself (the peer dialled us first) instead of dialling it again.
     */
    PeerName connectedPeerAt(InetSocketAddress address) {
        for (MeshConnection c : connections.values()) {
            if (c.transport.outbound() && address.equals(c.transport.remoteAddress())) {
                return c.remote;
            }
            PeerRecord r = peers.record(c.remote.value());
            if (r != null && r.advertisedAddresses().contains(address)) {
                return c.remote;
            }
        }
        return null;
    }

    /** The connections sorted by remote name (cached until they change); do not modify. */
    MeshConnection[] connectionArray() {
        MeshConnection[] a = connectionArray;
        if (a == null) {
            a = connections.values().toArray(new MeshConnection[0]);
            connectionArray = a;
        }
        return a;
    }

    int connectionCount() {
        return connections.size();
    }

    /** Adds a connection that passed every check (see {@link TransportHandler}). */
    void addConnection(MeshConnection c) {
        PeerRecord known = peers.record(c.remote.value());
        // A peer that takes digests gets our digest and answers with what we lack; we answer its
        // digest with what it lacks (TopologyDigest). Otherwise full state goes only to peers we have never heard of or
        // that restarted: a peer whose
        // current record reached us through gossip is in our part of the mesh already, and
        // periodic gossip repairs the rest (mesh's condition, "no route to it yet", sends full
        // state on most connections while a mesh forms).
        boolean newOrRestarted =
                known == null || known.uid() != c.transport.remote().uid().value() || known.version() == 0;
        connections.put(c.remote, c);
        connectionsByName.put(c.remote.value(), c);
        connectionArray = null;
        if (known == null) {
            Hello r = c.transport.remote();
            peers.ensure(PeerRecordCodec.encode(
                    r.name(),
                    r.uid().value(),
                    0,
                    r.shortId().map(s -> s.value()).orElse(-1),
                    r.nickname(),
                    List.of(),
                    List.of()));
        }
        peers.addLocalRef(c.remote.value());
        peers.localConnectionAdded(c.remote.value());
        counters.connectionAdded();
        localChanged();
        log.info("{}: connection added{}", c, newOrRestarted ? " (new or restarted peer)" : "");
        // In a mesh larger than the connection limit, a connection to a peer already in our
        // topology exchanges nothing at once: relays and the digest every DIGEST_INTERVAL repair
        // what it lacks (at 1,000 peers the answers to those digests were a third of all records
        // sent, mostly versions already on their way).
        if (newOrRestarted || c.takesDigests && !maker.partialMesh()) {
            // A peer that just sent its digest on another new connection waits a little before
            // sending it here: the first answer brings what it lacks, so the next answers are
            // small (a joining peer connecting to 3 peers at once got every record 3 times).
            java.time.Instant now = actor.now();
            boolean stagger =
                    c.takesDigests && lastConnectDigest != null && now.isBefore(lastConnectDigest.plus(DIGEST_STAGGER));
            dispatch.sendAllGossipDown(c, !stagger);
            if (stagger) {
                actor.schedule(DIGEST_STAGGER, () -> {
                    if (!c.closed && !closed) {
                        dispatch.sendTopologyDigest(c);
                    }
                });
            } else if (c.takesDigests) {
                lastConnectDigest = now;
            }
        }
    }

    /** The overlay of {@code c} is established. */
    void connectionEstablished(MeshConnection c) {
        if (c.closed || c.established || connections.get(c.remote) != c) {
            return;
        }
        c.established = true;
        log.debug("{}: connection established", c);
        maker.established();
        localChanged();
    }

    /** Closes {@code c} and forgets it (idempotent). */
    void closeConnection(MeshConnection c, String reason) {
        c.transport.close(reason);
        removeConnection(c, reason);
    }

    void removeConnection(MeshConnection c, String reason) {
        if (c.closed) {
            return;
        }
        c.closed = true;
        c.sender.clear();
        if (c.overlay != null) {
            c.overlay.stop();
        }
        if (connections.get(c.remote) != c) {
            return;
        }
        connections.remove(c.remote);
        connectionsByName.remove(c.remote.value());
        connectionArray = null;
        counters.connectionTerminated();
        log.info("{}: connection deleted: {}", c, reason);
        peers.removeLocalRef(c.remote.value());
        localChanged();
        maker.disconnected(c, reason);
        // Rediscover the peer if it is still around, so it gets redialled; one that refused our dial
        // for its connection limit backs off like a failed dial (redialling it at once made a storm
        // of connect-and-refuse in a mesh larger than the limit).
        PeerRecord r = peers.record(c.remote.value());
        boolean full = reason.startsWith(MessageDispatch.REFUSED + MeshMessage.RefusalReason.CONNECTION_LIMIT);
        if (full && c.transport.outbound() && !closed) {
            maker.refusedForLimit(c.remote, c.transport.remoteAddress());
        } else if (r != null && r.version() > 0 && !closed && !full && !reason.startsWith(TransportHandler.EVICTED)) {
            for (InetSocketAddress a : r.advertisedAddresses()) {
                maker.discovered(a, c.remote);
                break;
            }
        }
    }

    /** The record of a known peer that advertises {@code address}, or null. O(peers). */
    PeerRecord peerAt(InetSocketAddress address) {
        PeerRecord[] found = {null};
        peers.forEach(e -> {
            if (found[0] == null
                    && e.record().version() > 0
                    && e.record().advertisedAddresses().contains(address)) {
                found[0] = e.record();
            }
        });
        return found[0];
    }

    // ---------------------------------------------------------------- topology effects

    private final class TopologyEffects implements TopologyGossiper.Effects {
        @Override
        public void applied(PeerRecord record, Peers.Outcome outcome, PeerRecord previous) {
            routesChanged();
            gcIfDue();
            int limit = config.connectionLimit();
            if (!isConnected(record.name()) && (limit <= 0 || record.connectionCount() < limit)) {
                // Idempotent for a known address; re-targets a peer whose address changed. A peer
                // at the connection limit (assumed to be ours) would only refuse us: in a mesh
                // larger than the limit, dialling it anyway makes a storm of refusals. In such a
                // mesh the connection maker picks whom to dial itself (ConnectionMaker.fill).
                if (maker.partialMesh()) {
                    maker.fillIfRoom();
                } else {
                    List<InetSocketAddress> addrs = record.advertisedAddresses();
                    if (!addrs.isEmpty()) {
                        maker.discovered(addrs.getFirst(), record.name());
                    }
                }
            }
            if (record.shortId() >= 0 && record.shortId() == shortId && peers.shortIdTakenByLower(shortId)) {
                int fresh = peers.pickFreeShortId(random);
                log.info("short ID {} is taken by lower-named {}; now using {}", shortId, record.name(), fresh);
                shortId = fresh;
                localChanged();
            }
            if (!peerListeners.isEmpty()) {
                Peers.Entry e = peers.get(record.name().value());
                PeerInfo now = info(e);
                if (outcome == Peers.Outcome.ADDED || previous == null || previous.version() == 0) {
                    notifyPeers(l -> l.peerAdded(now));
                } else if (previous.uid() != record.uid()
                        || !previous.nickname().equals(record.nickname())
                        || previous.shortId() != record.shortId()) {
                    PeerInfo before = info(previous, e.reachable(), false);
                    notifyPeers(l -> l.peerUpdated(before, now));
                }
            }
        }

        @Override
        public void staleSelf(long otherUid, long otherVersion) {
            // An old incarnation of ours is still gossiped: outbid it so our record wins everywhere.
            // A live peer with our name would outbid us back for ever: stop after a few rounds.
            int rounds = selfBumps.merge(otherUid, 1, Integer::sum);
            if (rounds > MAX_SELF_BUMPS) {
                if (rounds == MAX_SELF_BUMPS + 1) {
                    log.error(
                            "peer name collision: another live peer uses our name {} (its UID {}); give every"
                                    + " peer a unique name",
                            name,
                            Long.toUnsignedString(otherUid));
                }
                return;
            }
            if (otherVersion >= version) {
                log.info(
                        "a record of our name with UID {} and version {} is circulating; bumping our version",
                        Long.toUnsignedString(otherUid),
                        otherVersion);
                versionFloor = Math.max(versionFloor, otherVersion);
                localChanged();
            }
        }
    }

    private void reachabilityChanged(Peers.Entry e) {
        if (!peerListeners.isEmpty()) {
            PeerInfo now = info(e);
            PeerInfo before = info(e.record(), !e.reachable(), false);
            notifyPeers(l -> l.peerUpdated(before, now));
        }
    }

    private void gcIfDue() {
        if (!peers.gcDue() || gcArmed || closed) {
            return;
        }
        gcArmed = true;
        actor.schedule(config.gcDelay(), () -> {
            gcArmed = false;
            ensureLocal();
            for (Peers.Entry e : peers.collectGarbage()) {
                log.info(
                        "removed unreachable peer {}",
                        e.record().name() + "(" + e.record().nickname() + ")");
                if (!peerListeners.isEmpty()) {
                    PeerInfo last = info(e);
                    notifyPeers(l -> l.peerRemoved(last));
                }
                maker.pruneDiscovered(p -> peers.get(p.value()) != null);
            }
            routesChanged();
        });
    }

    // ---------------------------------------------------------------- routes

    void routesChanged() {
        routesDirty = true;
        if ((!routesListeners.isEmpty() || !(overlay instanceof dev.weft.gossip.spi.NullOverlay)) && !closed) {
            scheduleRouteRecalc();
        }
    }

    private void scheduleRouteRecalc() {
        if (routeRecalcScheduled) {
            return;
        }
        routeRecalcScheduled = true;
        actor.schedule(config.routeRecalcDelay(), () -> {
            routeRecalcScheduled = false;
            recalculateRoutes();
        });
    }

    private void recalculateRoutes() {
        if (!routesDirty) {
            return;
        }
        routesDirty = false;
        ensureLocal();
        lastRouteCalc = actor.now();
        RouteTable before = routes;
        routes = RouteTable.compute(peers, before);
        if (routes.revision() != before.revision()) {
            for (RoutesListenerEntry l : routesListeners) {
                l.executor().execute(l.listener());
            }
            overlay.routesChanged();
        }
    }

    /**
     * Routes for relaying on the actor: recalculated now if stale and the last calculation is
     * older than the coalescing delay, else the last ones (at most that delay old, as mesh).
     */
    RouteTable currentRoutes() {
        if (routesDirty) {
            if (lastRouteCalc == null || !actor.now().isBefore(lastRouteCalc.plus(config.routeRecalcDelay()))) {
                recalculateRoutes();
            } else {
                scheduleRouteRecalc();
            }
        }
        return routes;
    }

    /** True when the published routes reflect the current topology. */
    boolean routesClean() {
        return !routesDirty;
    }

    @Override
    public Routes routes() {
        if (actor.inScheduler()) {
            return currentRoutes();
        }
        actor.execute(() -> {
            if (routesDirty) {
                scheduleRouteRecalc();
            }
        });
        return routes;
    }

    @Override
    public Cancellable addRoutesListener(Runnable listener, Executor executor) {
        RoutesListenerEntry e = new RoutesListenerEntry(listener, executor);
        routesListeners.add(e);
        actor.execute(this::routesChanged);
        return () -> routesListeners.remove(e);
    }

    // ---------------------------------------------------------------- channels

    @Override
    public GossipChannel registerChannel(String channelName, Gossiper gossiper) {
        return registerChannel(channelName, gossiper, null);
    }

    @Override
    public GossipChannel registerChannel(String channelName, Gossiper gossiper, Scheduler callbacks) {
        if (TopologyGossiper.CHANNEL.equals(channelName)) {
            throw new IllegalArgumentException("gossip channel name 'topology' is reserved for the mesh");
        }
        String bad = Channels.invalidName(channelName);
        if (bad != null) {
            throw new IllegalArgumentException(bad + ": '" + channelName + "'");
        }
        Channels.Entry e =
                onActor(() -> channels.register(channelName, gossiper, callbacks == actor ? null : callbacks));
        return new ChannelHandle(this, dispatch, e);
    }

    void unregister(Channels.Entry e) {
        actor.execute(() -> channels.unregister(e));
    }

    // ---------------------------------------------------------------- views

    @Override
    public Topology topology() {
        return onActor(() -> {
            ensureLocal();
            List<PeerInfo> all = new ArrayList<>();
            for (Peers.Entry e : peers.sorted()) {
                all.add(info(e));
            }
            return new Topology(name, List.copyOf(all));
        });
    }

    PeerInfo info(Peers.Entry e) {
        return info(e.record(), e.reachable(), e.record().name().equals(name));
    }

    private PeerInfo info(PeerRecord r, boolean reachable, boolean local) {
        return new PeerInfo(
                r.name(),
                r.peerUid(),
                r.nickname(),
                r.optionalShortId(),
                r.version(),
                r.connections(),
                reachable,
                local || r.name().equals(name));
    }

    @Override
    public Cancellable addPeerListener(PeerListener listener, Executor executor) {
        ListenerEntry l = new ListenerEntry(listener, executor);
        actor.execute(() -> {
            for (Peers.Entry e : peers.sorted()) {
                if (!e.record().name().equals(name)) {
                    PeerInfo p = info(e);
                    executor.execute(() -> listener.peerAdded(p));
                }
            }
            peerListeners.add(l);
        });
        return () -> peerListeners.remove(l);
    }

    private void notifyPeers(java.util.function.Consumer<PeerListener> event) {
        for (ListenerEntry l : peerListeners) {
            l.executor().execute(() -> event.accept(l.listener()));
        }
    }

    @Override
    public MeshStatus status() {
        return onActor(() -> {
            ensureLocal();
            List<MeshStatus.Connection> conns = new ArrayList<>();
            for (MeshConnection c : connections.values()) {
                conns.add(c.status(overlay.name()));
            }
            List<PeerInfo> all = new ArrayList<>();
            PeerInfo self = null;
            for (Peers.Entry e : peers.sorted()) {
                PeerInfo p = info(e);
                all.add(p);
                if (p.local()) {
                    self = p;
                }
            }
            return new MeshStatus(
                    self,
                    "weft " + dev.weft.gossip.internal.wire.Protocol.MIN_VERSION + ".."
                            + dev.weft.gossip.internal.wire.Protocol.MAX_VERSION,
                    transport.encrypted(),
                    config.discovery(),
                    config.connectionLimit(),
                    List.copyOf(conns),
                    List.copyOf(maker.status()),
                    List.copyOf(all),
                    transport.listenAddress());
        });
    }

    // ---------------------------------------------------------------- targets

    @Override
    public List<String> connect(Collection<String> addresses, boolean replace) {
        List<String> errors = new ArrayList<>();
        List<InetSocketAddress> parsed = new ArrayList<>();
        for (String a : addresses) {
            try {
                parsed.add(PeerAddress.parse(a, config.defaultPort()));
            } catch (IllegalArgumentException e) {
                errors.add(a + ": " + e.getMessage());
            }
        }
        if (errors.isEmpty()) {
            actor.execute(() -> maker.addDirect(parsed, replace));
        }
        return errors;
    }

    @Override
    public void forget(Collection<String> addresses) {
        List<InetSocketAddress> parsed = new ArrayList<>();
        for (String a : addresses) {
            try {
                parsed.add(PeerAddress.parse(a, config.defaultPort()));
            } catch (IllegalArgumentException e) {
                log.debug("forget: ignoring {}: {}", a, e.getMessage());
            }
        }
        actor.execute(() -> maker.forget(parsed));
    }

    void dispatchMessage(MeshConnection c, dev.weft.gossip.spi.MeshMessage m) {
        dispatch.received(c, m);
    }

    void dispatchWritable(MeshConnection c) {
        dispatch.writable(c);
    }

    // ---------------------------------------------------------------- actor plumbing

    <T> T onActor(Supplier<T> task) {
        if (actor.inScheduler()) {
            return task.get();
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        actor.execute(() -> {
            try {
                f.complete(task.get());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return join(f);
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the mesh actor", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the mesh actor did not answer within 30 s", e);
        }
    }

    /**
     * The version of {@code peer}'s record as known here if its UID is {@code uid}, else -1. Actor
     * (or simulator) thread only: for convergence checks.
     */
    public long knownVersion(PeerName peer, PeerUid peerUid) {
        PeerRecord r = peers.record(peer.value());
        return r == null || r.uid() != peerUid.value() ? -1 : r.version();
    }

    /**
     * Our current record's version (one above the announced one while a change waits for the
     * batch). Actor (or simulator) thread only; changes no state.
     */
    public long localVersion() {
        return localDirty ? pendingLocal().version() : version;
    }

    /** Names of the peers we have a registered connection to, and whether it is established. */
    public Map<PeerName, Boolean> connectionStates() {
        Map<PeerName, Boolean> m = new TreeMap<>();
        connections.forEach((k, v) -> m.put(k, v.established));
        return m;
    }

    /** Number of known peers (this one included). Actor (or simulator) thread only. */
    public int knownPeers() {
        return peers.size();
    }

    Duration gossipInterval() {
        return config.gossipInterval();
    }

    /** The peer's short ID (-1 when it has none). */
    int shortId() {
        return shortId;
    }

    static String describe(InetAddress a) {
        return a == null ? "?" : a.getHostAddress();
    }
}
