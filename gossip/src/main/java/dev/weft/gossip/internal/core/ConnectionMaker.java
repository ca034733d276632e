package dev.weft.gossip.internal.core;

import dev.weft.gossip.api.Cancellable;
import dev.weft.gossip.api.MeshConfig;
import dev.weft.gossip.api.MeshStatus;
import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.api.Scheduler;
import dev.weft.gossip.spi.MeshMessage;
import dev.weft.gossip.spi.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whom to dial and when (mesh's {@code connectionMaker}): direct targets from the operator,
 * discovered targets from the topology, membership hints and connection-limit referrals; jittered
 * exponential backoff (2 s, x1.5, cap 6 min, uniform in [i/2, 3i/2)), reset when a connection
 * lived long enough; never retries a connection to ourselves or a name collision.
 *
 * <p>Two improvements over mesh: a discovered peer with a higher name than ours waits {@link
 * #DISCOVERY_GRACE} before dialling, since the lower-named side dials at once (mesh dials from both
 * sides and then throws one connection away); and dials in progress count against the connection
 * limit, so a peer never opens more handshakes than it may keep.
 *
 * <p>Actor-confined.
 */
final class ConnectionMaker {

    private static final Logger log = LoggerFactory.getLogger(ConnectionMaker.class);

    /** How long the higher-named side of a discovered pair waits for the lower one to dial. */
    static final Duration DISCOVERY_GRACE = Duration.ofSeconds(5);

    enum State {
        WAITING,
        CONNECTING,
        CONNECTED,
        FAILED
    }

    /** One address to dial. */
    static final class Target {
        final String key;
        final InetSocketAddress address;
        boolean direct;
        PeerName peer; // who we expect or found there, may be null
        State state = State.WAITING;
        int attempts;
        Duration interval;
        Instant nextAttempt;
        Instant lastAttempt;
        String lastError = "";
        Cancellable timer;
        MeshConnection connection;
        boolean refusedFull; // the last connection was refused for the remote's connection limit

        Target(String key, InetSocketAddress address, boolean direct, Duration interval) {
            this.key = key;
            this.address = address;
            this.direct = direct;
            this.interval = interval;
        }
    }

    private final LocalMesh mesh;
    private final MeshConfig config;
    private final Scheduler actor;
    private final RandomGenerator random;
    private final Transport transport;
    private final TreeMap<String, Target> targets = new TreeMap<>();
    // The discovered target of each peer, so a peer that moved (new address) is redialled there.
    private final Map<PeerName, Target> discoveredByPeer = new java.util.HashMap<>();
    private int attempting;
    private boolean stopped;
    private boolean fillArmed;
    private Instant referralsNotBefore;
    private Duration referralInterval;

    ConnectionMaker(LocalMesh mesh, MeshConfig config, Scheduler actor, RandomGenerator random, Transport transport) {
        this.mesh = mesh;
        this.config = config;
        this.actor = actor;
        this.random = random;
        this.transport = transport;
        this.referralInterval = config.initialBackoff();
    }

    /** Adds direct targets (already parsed); with {@code replace}, drops direct targets not listed. */
    void addDirect(Collection<InetSocketAddress> addresses, boolean replace) {
        List<String> keep = new ArrayList<>();
        for (InetSocketAddress a : addresses) {
            String key = PeerAddress.format(a);
            keep.add(key);
            Target t = targets.get(key);
            if (t == null) {
                t = new Target(key, a, true, config.initialBackoff());
                targets.put(key, t);
                schedule(t, Duration.ZERO);
            } else if (!t.direct) {
                t.direct = true;
            } else if (t.state == State.FAILED) {
                // The operator asked again: give it another chance.
                t.state = State.WAITING;
                t.interval = config.initialBackoff();
                schedule(t, Duration.ZERO);
            }
        }
        if (replace) {
            List<String> drop = new ArrayList<>();
            for (Target t : targets.values()) {
                if (t.direct && !keep.contains(t.key)) {
                    drop.add(t.key);
                }
            }
            forgetKeys(drop);
        }
    }

    /** Removes direct targets; their connections stay up. */
    void forget(Collection<InetSocketAddress> addresses) {
        List<String> keys = new ArrayList<>();
        for (InetSocketAddress a : addresses) {
            keys.add(PeerAddress.format(a));
        }
        forgetKeys(keys);
    }

    private void forgetKeys(List<String> keys) {
        for (String k : keys) {
            Target t = targets.get(k);
            if (t != null && t.direct) {
                cancelTimer(t);
                if (t.state == State.CONNECTING) {
                    t.direct = false; // the attempt's result will find it undirected and drop it
                } else {
                    targets.remove(k);
                }
            }
        }
    }

    /**
     * A discovered address (topology, membership, referral). {@code peer} may be null when unknown.
     */
    void discovered(InetSocketAddress address, PeerName peer) {
        if (!config.discovery() || stopped) {
            return;
        }
        if (peer != null && (mesh.isConnected(peer) || peer.equals(mesh.name()))) {
            return;
        }
        if (address.getPort() == 0) {
            return;
        }
        if (partialMesh()) {
            fillIfRoom(); // whom to dial is chosen in fill(), not by who was heard of first
            return;
        }
        if (atDiscoveryCap()) {
            return; // enough connections: see discoveryCap()
        }
        addDiscovered(address, peer, true);
    }

    private void addDiscovered(InetSocketAddress address, PeerName peer, boolean graceForHigher) {
        String key = PeerAddress.format(address);
        Target t = targets.get(key);
        if (t != null) {
            if (peer != null && t.peer == null) {
                t.peer = peer;
                if (!t.direct) {
                    discoveredByPeer.put(peer, t);
                }
            }
            return;
        }
        if (peer != null) {
            Target old = discoveredByPeer.get(peer);
            if (old != null && old.state != State.CONNECTING && targets.get(old.key) == old) {
                cancelTimer(old);
                targets.remove(old.key);
            }
        }
        t = new Target(key, address, false, config.initialBackoff());
        t.peer = peer;
        targets.put(key, t);
        if (peer != null) {
            discoveredByPeer.put(peer, t);
        }
        boolean weDialFirst = !graceForHigher || peer == null || mesh.name().compareTo(peer) < 0;
        schedule(t, weDialFirst ? Duration.ZERO : DISCOVERY_GRACE);
    }

    /**
     * Connection-limit referrals from a peer that refused us. Followed only while we have no other
     * established connection (a peer with one learns the topology and fills from it), at most
     * {@link #REFERRALS_FOLLOWED} at a time, and with the same backoff as a failing target between
     * rounds: in a mesh larger than the limit, following every referral made each refusal breed
     * more refusals.
     */
    void referred(List<InetSocketAddress> addresses, java.util.function.Function<InetSocketAddress, PeerName> known) {
        if (!config.discovery() || stopped || addresses.isEmpty()) {
            return;
        }
        Instant now = actor.now();
        if (referralsNotBefore != null && now.isBefore(referralsNotBefore)) {
            return;
        }
        double i = referralInterval.toNanos();
        referralsNotBefore = now.plusNanos((long) (i / 2 + random.nextDouble() * i));
        referralInterval = Duration.ofNanos(
                (long) Math.min(i * config.backoffFactor(), config.maxBackoff().toNanos()));
        int followed = 0;
        for (InetSocketAddress a : addresses) {
            if (followed == REFERRALS_FOLLOWED) {
                break;
            }
            PeerName peer = known.apply(a);
            if (a.getPort() == 0 || peer != null && (mesh.isConnected(peer) || peer.equals(mesh.name()))) {
                continue;
            }
            if (!targets.containsKey(PeerAddress.format(a))) {
                addDiscovered(a, peer, false);
                followed++;
            }
        }
    }

    /** Most referrals dialled per refusal. */
    static final int REFERRALS_FOLLOWED = 2;

    /** A connection became established: referrals are for isolated peers, so start their backoff afresh. */
    void established() {
        referralsNotBefore = null;
        referralInterval = config.initialBackoff();
    }

    /**
     * Our dial of {@code peer} at {@code address} was refused for its connection limit: remember it
     * as a target that backs off like any failure (so fill() does not pick it again meanwhile); it
     * is dialled again only if we are below our cap by then.
     */
    void refusedForLimit(PeerName peer, InetSocketAddress address) {
        if (stopped || !config.discovery() || address == null || address.getPort() == 0) {
            return;
        }
        String key = PeerAddress.format(address);
        Target t = targets.get(key);
        if (t != null) {
            return; // a direct target: disconnected() backed it off
        }
        t = new Target(key, address, false, config.initialBackoff());
        t.peer = peer;
        t.refusedFull = true;
        t.attempts = 1;
        targets.put(key, t);
        discoveredByPeer.put(peer, t);
        backoff(t);
    }

    /** How long fill() waits after the first reason to run, so knowledge arriving meanwhile counts. */
    static final Duration FILL_DELAY = Duration.ofMillis(200);

    /** Arms fill() if the mesh is partial and we are below the target degree. */
    void fillIfRoom() {
        if (partialMesh() && mesh.connectionCount() + attempting < discoveryCap()) {
            armFill();
        }
    }

    private void armFill() {
        if (fillArmed || stopped || !config.discovery()) {
            return;
        }
        fillArmed = true;
        actor.schedule(FILL_DELAY, this::fill);
    }

    /**
     * In a mesh larger than the connection limit: dials peers chosen uniformly at random among the
     * known ones until connections and dials in progress reach {@link #discoveryCap()}, preferring
     * peers whose records show fewer connections than that (so in-degrees stay balanced: a peer
     * that has its share is skipped once its record says so), then any peer below the limit. The
     * random choice keeps the graph an expander (small diameter); every peer being below the cap
     * leaves the limit as headroom for inbound dials made on stale records.
     */
    private void fill() {
        fillArmed = false;
        if (stopped || !partialMesh()) {
            return;
        }
        int cap = discoveryCap();
        int room = cap - mesh.connectionCount() - attempting;
        if (room <= 0) {
            return;
        }
        int limit = config.connectionLimit();
        List<dev.weft.gossip.internal.topology.PeerRecord> preferred = new ArrayList<>();
        List<dev.weft.gossip.internal.topology.PeerRecord> others = new ArrayList<>();
        long self = mesh.name().value();
        mesh.peers.forEach(e -> {
            var r = e.record();
            if (r.version() == 0 || r.name().value() == self || mesh.isConnected(r.name())) {
                return;
            }
            if (r.connectionCount() >= limit || discoveredByPeer.containsKey(r.name())) {
                return;
            }
            (r.connectionCount() < cap ? preferred : others).add(r);
        });
        room = dialSome(preferred, room);
        dialSome(others, room);
    }

    /** Dials up to {@code room} records picked at random from {@code from}; returns the room left. */
    private int dialSome(List<dev.weft.gossip.internal.topology.PeerRecord> from, int room) {
        int n = from.size();
        for (int i = 0; i < n && room > 0; i++) {
            int k = i + random.nextInt(n - i);
            var r = from.get(k);
            from.set(k, from.get(i));
            List<InetSocketAddress> addrs = r.advertisedAddresses();
            if (addrs.isEmpty() || targets.containsKey(PeerAddress.format(addrs.getFirst()))) {
                continue;
            }
            addDiscovered(addrs.getFirst(), r.name(), false);
            room--;
        }
        return room;
    }

    /** Drops discovered targets whose peer is gone or connected some other way. */
    void pruneDiscovered(java.util.function.Predicate<PeerName> stillKnown) {
        Iterator<Map.Entry<String, Target>> it = targets.entrySet().iterator();
        while (it.hasNext()) {
            Target t = it.next().getValue();
            if (t.direct || t.state == State.CONNECTING || t.state == State.CONNECTED) {
                continue;
            }
            if (t.peer != null && (!stillKnown.test(t.peer) || mesh.isConnected(t.peer))) {
                cancelTimer(t);
                dropped(t);
                it.remove();
            }
        }
    }

    /**
     * Schedules the next attempt. A first attempt is work that ends (foreground, so the simulator's
     * runUntilQuiescent() waits for it); retries recur for as long as the target fails
     * (background).
     */
    private void schedule(Target t, Duration delay) {
        cancelTimer(t);
        t.state = State.WAITING;
        t.nextAttempt = actor.now().plus(delay);
        t.timer = t.attempts == 0
                ? actor.schedule(delay, () -> attempt(t))
                : actor.scheduleBackground(delay, () -> attempt(t));
    }

    private void dropped(Target t) {
        if (t.peer != null && discoveredByPeer.get(t.peer) == t) {
            discoveredByPeer.remove(t.peer);
        }
    }

    private void cancelTimer(Target t) {
        if (t.timer != null) {
            t.timer.cancel();
            t.timer = null;
        }
    }

    private void attempt(Target t) {
        t.timer = null;
        if (stopped || t.state != State.WAITING || targets.get(t.key) != t) {
            return;
        }
        if (t.peer == null) {
            // Our dial lost the race to the peer's (refused as a duplicate before we learnt its
            // name): dialling again would replace a working connection half of the time.
            t.peer = mesh.connectedPeerAt(t.address);
        }
        if (t.peer != null && mesh.isConnected(t.peer)) {
            if (!t.direct) {
                targets.remove(t.key);
                dropped(t);
                return;
            }
            t.state = State.CONNECTED;
            t.connection = mesh.connection(t.peer);
            return;
        }
        int limit = config.connectionLimit();
        if (t.direct && t.refusedFull && partialMesh() && atDiscoveryCap()) {
            // It refused us for its limit and we have our share of connections: try again later.
            backoff(t);
            return;
        }
        if (!t.direct && atDiscoveryCap()) {
            // Rediscovered from the topology when we have room again.
            targets.remove(t.key);
            dropped(t);
            return;
        }
        if (limit > 0 && mesh.connectionCount() + attempting >= limit) {
            t.lastError = "connection limit reached (" + limit + ")";
            t.nextAttempt = actor.now().plus(t.interval);
            t.timer = actor.scheduleBackground(t.interval, () -> attempt(t));
            return;
        }
        t.state = State.CONNECTING;
        t.lastAttempt = actor.now();
        t.nextAttempt = null;
        attempting++;
        transport.dial(t.address, t);
    }

    /**
     * How many connections we fill by dialling discovered peers (0: no cap): the connection limit
     * while the mesh fits within it (a full mesh), else the {@link #partialDegree target degree}
     * of a partial mesh.
     */
    int discoveryCap() {
        int limit = config.connectionLimit();
        if (limit <= 0) {
            return 0;
        }
        return partialMesh() ? partialDegree(limit) : limit;
    }

    /**
     * The connections a peer fills to by dialling in a mesh larger than the limit: a quarter of the
     * limit (at least 3, or the limit if smaller). Inbound dials made on stale records (a peer's
     * record shows its count about a batch late) land on top of it, so the rest of the limit is
     * headroom and refusals stay rare. When peers dialled up to the limit, most dials met a full
     * peer (300 peers, limit 200: 445,000 refusals in 12 simulated seconds); at half the limit,
     * inbound dials still filled popular peers (1,000 peers: 449,000 refusals in 32 s).
     */
    static int partialDegree(int limit) {
        return Math.max(limit / 4, Math.min(limit, 3));
    }

    /** True when we know more peers than the connection limit lets us connect to: no full mesh. */
    boolean partialMesh() {
        int limit = config.connectionLimit();
        return limit > 0 && mesh.peers.size() - 1 > limit;
    }

    /** True when connections and dials in progress fill the {@link #discoveryCap()}. */
    private boolean atDiscoveryCap() {
        int cap = discoveryCap();
        return cap > 0 && mesh.connectionCount() + attempting >= cap;
    }

    /** The dial or handshake of {@code t} failed, or the remote refused the connection. */
    void failed(Target t, String reason, boolean permanent) {
        if (t.state == State.CONNECTING) {
            attempting--;
        }
        t.connection = null;
        t.lastError = reason;
        t.attempts++;
        if (targets.get(t.key) != t || stopped) {
            return;
        }
        if (permanent) {
            log.warn("not retrying {}: {}", t.key, reason);
            t.state = State.FAILED;
            t.nextAttempt = null;
            if (!t.direct) {
                targets.remove(t.key);
                dropped(t);
            }
            return;
        }
        if (!t.direct && t.attempts >= 10 && t.peer == null) {
            // A referral or stale hint that never worked: forget it rather than retry for ever.
            targets.remove(t.key);
            return;
        }
        backoff(t);
        if (t.direct) {
            // an operator named this peer: say why it is not connected (once per attempt, backed off)
            log.info("connecting to {} failed (attempt {}): {}; retrying with backoff", t.key, t.attempts, reason);
        }
        if (!t.direct && partialMesh()) {
            armFill(); // another peer instead, while this one backs off
        }
    }

    private void backoff(Target t) {
        double i = t.interval.toNanos();
        long delay = (long) (i / 2 + random.nextDouble() * i); // uniform in [i/2, 3i/2)
        long next =
                (long) Math.min(i * config.backoffFactor(), config.maxBackoff().toNanos());
        t.interval = Duration.ofNanos(next);
        schedule(t, Duration.ofNanos(delay));
    }

    /** The attempt {@code t} produced the registered connection {@code c}. */
    void connected(Target t, MeshConnection c) {
        if (t.state == State.CONNECTING) {
            attempting--;
        }
        cancelTimer(t);
        t.state = State.CONNECTED;
        t.connection = c;
        t.peer = c.remote;
        t.lastError = "";
        t.attempts = 0;
        t.nextAttempt = null;
        t.refusedFull = false;
        if (targets.get(t.key) != t) {
            return;
        }
        if (!t.direct) {
            // Discovered targets are only needed until connected; a later loss rediscovers them.
            targets.remove(t.key);
            dropped(t);
        }
    }

    /** A registered connection went away: redial its target (immediately if it lived long). */
    void disconnected(MeshConnection c, String reason) {
        for (Target t : new ArrayList<>(targets.values())) {
            if (t.connection != c) {
                continue;
            }
            t.connection = null;
            if (stopped) {
                return;
            }
            Instant started = t.lastAttempt == null ? c.since : t.lastAttempt;
            t.refusedFull = reason.startsWith(MessageDispatch.REFUSED + MeshMessage.RefusalReason.CONNECTION_LIMIT);
            if (t.refusedFull) {
                t.attempts++; // a failure like any other, not a connection that lived
                t.lastError = reason;
                backoff(t);
            } else if (Duration.between(started, actor.now()).compareTo(config.backoffReset()) > 0) {
                t.interval = config.initialBackoff();
                schedule(t, Duration.ZERO);
            } else {
                t.lastError = reason;
                backoff(t);
            }
        }
    }

    /** Status rows, sorted by address. */
    List<MeshStatus.Target> status() {
        List<MeshStatus.Target> out = new ArrayList<>();
        for (Target t : targets.values()) {
            MeshStatus.TargetState s =
                    switch (t.state) {
                        case WAITING -> MeshStatus.TargetState.WAITING;
                        case CONNECTING -> MeshStatus.TargetState.CONNECTING;
                        case CONNECTED -> MeshStatus.TargetState.CONNECTED;
                        case FAILED -> MeshStatus.TargetState.FAILED;
                    };
            out.add(new MeshStatus.Target(t.key, t.direct, s, t.lastError, t.nextAttempt, t.attempts));
        }
        return out;
    }

    int attempting() {
        return attempting;
    }

    void stop() {
        stopped = true;
        for (Target t : targets.values()) {
            cancelTimer(t);
        }
    }
}
