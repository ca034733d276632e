package dev.weft.ipam.internal;

import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.api.Scheduler;
import dev.weft.ipam.api.Address;
import dev.weft.ipam.api.Cidr;
import dev.weft.ipam.api.ContainerId;
import dev.weft.ipam.api.InitMode;
import dev.weft.ipam.api.IpamConfig;
import dev.weft.ipam.api.IpamException;
import dev.weft.ipam.api.IpamStatus;
import dev.weft.ipam.api.RingView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IPAM actor's state machine: the ring, this peer's allocations and the parts that act on them
 * ({@link Requests}, {@link SpaceRequests}, {@link Seeding}, {@link Relearning}, {@link
 * RingUpdates}, {@link Leaving}, rmpeer in {@link Takeover}), each in its own class.
 *
 * <p><b>Threading.</b> Every method runs on the one actor thread (or the simulator's loop); no
 * locks. After each turn the caller calls {@link #flush()}, which hands the turn's changes to
 * {@link Durability} together with everything the turn wants to say to the world (completions,
 * unicasts, broadcasts): those are released only once the changes are on disk ({@link Turn}).
 */
public final class Allocator {

    private static final Logger log = LoggerFactory.getLogger(Allocator.class);

    /** How the message arrived; replies and acknowledgements depend on it. */
    public enum Via {
        UNICAST,
        BROADCAST,
        GOSSIP
    }

    final IpamConfig config;
    final PeerName me;
    final long start;
    final long end;
    final MeshPort mesh;
    final Scheduler scheduler;
    final RandomGenerator random;

    Ring ring;
    final Allocations allocations;
    final Paxos paxos; // null in seed mode
    boolean left;
    /** True until this peer holds a ring that it either loaded, created or confirmed by relearning. */
    boolean fresh;

    final Turn turn;
    final Requests requests;
    final SpaceRequests space;
    final Seeding seeding;
    final Relearning relearning;
    final RingUpdates updates;
    final Leaving leaving;

    /**
     * @param stored what the store held (null for a new store)
     */
    public Allocator(
            IpamConfig config,
            PeerName me,
            StoredState stored,
            MeshPort mesh,
            Scheduler scheduler,
            RandomGenerator random,
            Durability durability) {
        this.config = config;
        this.me = me;
        this.start = config.range().start();
        this.end = config.range().end();
        this.mesh = mesh;
        this.scheduler = scheduler;
        this.random = random;
        this.allocations = new Allocations(start, end);
        NodeClaims mine = NodeClaims.NONE;
        NodeClaims storedPaxos = null;
        if (stored != null) {
            if (!stored.peer().equals(me)) {
                throw new IllegalArgumentException("store belongs to peer " + stored.peer() + ", not " + me);
            }
            ring = stored.ring();
            for (OwnershipChange c : stored.ownership()) {
                allocations.add(c.id(), c.address());
            }
            mine = stored.paxos();
            storedPaxos = mine;
        } else {
            ring = Ring.empty(start, end);
        }
        fresh = ring.isEmpty();
        if (config.init() instanceof InitMode.Consensus c) {
            this.paxos = new Paxos(me, c.quorum(), true, mine);
        } else if (config.init() instanceof InitMode.Observer) {
            this.paxos = new Paxos(me, 1, false, NodeClaims.NONE);
        } else {
            this.paxos = null; // seed mode: no consensus
        }
        this.turn = new Turn(this, durability);
        this.requests = new Requests(this);
        this.space = new SpaceRequests(this);
        this.seeding = new Seeding(this, storedPaxos);
        this.relearning = new Relearning(this);
        this.updates = new RingUpdates(this);
        this.leaving = new Leaving(this);
        turn.stateChanged();
    }

    /** Starts the periodic retry timer; call once on the actor, then {@link #flush()}. */
    public void start() {
        if (!ring.isEmpty() && ring.isRemoved(me)) {
            log.error("this peer ({}) was removed from the IPAM ring by rmpeer: it will not allocate", me);
        }
        if (config.init() instanceof InitMode.Seed) {
            seeding.needRing(); // every peer builds the same ring from the same list, at once (like Weave)
        }
        scheduleTick();
        turn.stateChanged();
        turn.requestFlush();
    }

    private void scheduleTick() {
        scheduler.scheduleBackground(config.retryInterval(), () -> {
            tick();
            scheduleTick();
            flush();
        });
    }

    /** The scheduler's clock in nanoseconds (only differences matter). */
    long nanos() {
        Instant now = scheduler.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    // ---------------------------------------------------------------- the door (one call per turn)

    /** Allocates for {@code id} in {@code subnet} (null = default subnet). */
    public void allocate(ContainerId id, Cidr subnet, Duration timeout, CompletableFuture<Cidr> result) {
        requests.allocate(id, subnet, timeout, result);
    }

    /** Claims {@code address} for {@code id}. */
    public void claim(ContainerId id, Cidr address, Duration timeout, CompletableFuture<Cidr> result) {
        requests.claim(id, address, timeout, result);
    }

    /** The addresses of {@code id}. */
    public void lookup(ContainerId id, CompletableFuture<List<Cidr>> result) {
        requests.lookup(id, result);
    }

    /** Every ownership record. */
    public void owned(CompletableFuture<Map<ContainerId, List<Cidr>>> result) {
        requests.owned(result);
    }

    /** Frees every address of {@code id}. */
    public void free(ContainerId id, CompletableFuture<List<Cidr>> result) {
        requests.free(id, result);
    }

    /** Frees one address of {@code id}. */
    public void free(ContainerId id, Address address, CompletableFuture<Boolean> result) {
        requests.free(id, address, result);
    }

    /** The ring as seen here, once it exists. */
    public void ring(Duration timeout, CompletableFuture<RingView> result) {
        requests.ring(timeout, result);
    }

    /** A status snapshot. */
    public void status(CompletableFuture<IpamStatus> result) {
        turn.complete(result, StatusReport.status(this));
    }

    /** Status now, computed on the actor (for tests and the simulator). */
    public IpamStatus statusNow() {
        return StatusReport.status(this);
    }

    /** Hands all space to a live heir and stops serving. */
    public void leave(boolean force, CompletableFuture<String> result) {
        leaving.leave(force, result);
    }

    /** rmpeer: marks {@code name} removed; heirs (the owners just below its ranges) take its space. */
    public void removePeer(String name, boolean takeAll, CompletableFuture<String> result) {
        try {
            turn.complete(result, Takeover.remove(this, name, takeAll));
        } catch (IpamException e) {
            turn.fail(result, e);
        }
    }

    /**
     * Handles one message of the IPAM channel.
     *
     * @param src the sending peer (the origin for unicasts and broadcasts); null for periodic
     *     gossip relayed by someone
     * @return true if it taught us something (the gossip layer may relay our state on)
     */
    public boolean onMessage(PeerName src, byte[] bytes, Via via) {
        return updates.onMessage(src, bytes, via);
    }

    /** The peer view changed: retry what waits for a reachable donor or owner. */
    public void peersChanged() {
        relearning.check();
        requests.retryWaiting();
    }

    /**
     * Ends the turn: hands its changes to durability; completions and messages are released when
     * they are durable.
     */
    public void flush() {
        turn.flush();
    }

    /**
     * Our state for periodic gossip: the last one that is durable (never ahead of the disk). Any
     * thread.
     */
    public byte[] gossip() {
        return turn.gossip();
    }

    // ---------------------------------------------------------------- shared state

    /** Why this peer serves no requests at all, or null. */
    String unavailableReason() {
        if (left) {
            return "this peer left the IPAM ring (weft leave / DELETE /peer); it serves no more allocations";
        }
        if (!ring.isEmpty() && ring.isRemoved(me)) {
            return "this peer (" + me + ") was removed from the IPAM ring by rmpeer on another peer; its space"
                    + " now belongs to others. Stop this router, move its data directory away and start it with a"
                    + " new --name";
        }
        String f = turn.storeFailure();
        if (f != null) {
            return "the IPAM store failed: " + f;
        }
        return null;
    }

    /** The retry timer: seeding, relearning and space requests try again; removed peers' space is taken over. */
    void tick() {
        seeding.tick();
        relearning.tick();
        space.newRound();
        if (!ring.isEmpty()) {
            Ring next = ring.takeOverRemoved(me);
            if (!next.equals(ring)) {
                ring = verified(next);
                turn.ringChanged();
                turn.wantBroadcast();
            }
        }
        reportFree();
        requests.retryWaiting();
    }

    /** Writes our entries' current free counts into the ring (they travel with the next gossip). */
    void reportFree() {
        if (ring.isEmpty()) {
            return;
        }
        Ring r = ring.withFreeCounts(
                me,
                k -> (ring.rangeEnd(k) - ring.entry(k).token())
                        - allocations.usedIn(ring.entry(k).token(), ring.rangeEnd(k)));
        if (r != ring) {
            ring = r;
            turn.stateChanged();
        }
    }

    /** Adopts {@code r} (checked: every local change keeps the ring's invariants) and stores it with this turn. */
    void setRing(Ring r) {
        if (!r.equals(ring)) {
            ring = verified(r);
            turn.ringChanged();
            turn.requestFlush();
        }
    }

    /**
     * {@code r} after checking every invariant; a local change that breaks one is a bug, and is
     * refused before anything is adopted, stored or sent.
     */
    static Ring verified(Ring r) {
        try {
            r.check();
            return r;
        } catch (InvalidRingException e) {
            throw new IllegalStateException(
                    "refusing a local ring change that breaks an invariant: " + e.getMessage(), e);
        }
    }

    /** Our state as a message. */
    IpamMessage.State state(boolean wantReply) {
        if (ring.isEmpty()) {
            return new IpamMessage.State(null, paxos == null ? Map.of() : paxos.knowledge(), wantReply);
        }
        return new IpamMessage.State(ring, Map.of(), wantReply);
    }

    /** The current ring (actor thread only; for tests and status). */
    public Ring currentRing() {
        return ring;
    }

    /** The ownership records (actor thread only; for tests). */
    public Allocations allocations() {
        return allocations;
    }

    public PeerName self() {
        return me;
    }
}
