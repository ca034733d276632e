package dev.weft.gossip.internal.core;

import dev.weft.gossip.api.Cancellable;
import dev.weft.gossip.api.MeshConfig;
import dev.weft.gossip.api.MeshStatus;
import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.api.Scheduler;
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

    ConnectionMaker(LocalMesh mesh, MeshConfig config, Scheduler actor, RandomGenerator random, Transport transport) {
        this.mesh = mesh;
        this.config = config;
        this.actor = actor;
        this.random = random;
        this.transport = transport;
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
        if (atDiscoveryCap()) {
            return; // enough connections: see discoveryCap()
        }
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
        boolean weDialFirst = peer == null || mesh.name().compareTo(peer) < 0;
        schedule(t, weDialFirst ? Duration.ZERO : DISCOVERY_GRACE);
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
     * while the mesh fits within it (a full mesh), else half of it: each connection is dialled by
     * one side, so peers that each dial up to half the limit end up with about the limit, and
     * refusals (the dialled peer is full) stay rare. When every peer dialled discovered peers up to
     * the limit in a mesh larger than the limit, most dials met a full peer and were refused (300
     * peers, limit 200: 445,000 refused connections in 12 simulated seconds, and no convergence).
     */
    int discoveryCap() {
        int limit = config.connectionLimit();
        if (limit <= 0) {
            return 0;
        }
        return mesh.peers.size() - 1 <= limit ? limit : Math.max(1, limit / 2);
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
            if (Duration.between(started, actor.now()).compareTo(config.backoffReset()) > 0) {
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
