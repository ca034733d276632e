package dev.weft.ipam.internal;

import dev.weft.gossip.api.Cancellable;
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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IPAM actor's state machine: the ring, this peer's allocations, waiting requests, space
 * requests and donation, seeding, leave and rmpeer.
 *
 * <p><b>Threading.</b> Every method runs on the one actor thread (or the simulator's loop); no
 * locks. After each turn the caller calls {@link #flush()}, which hands the turn's changes to
 * {@link Durability} together with everything the turn wants to say to the world (completions,
 * unicasts, broadcasts): those are released only once the changes are on disk.
 */
public final class Allocator {

    private static final Logger log = LoggerFactory.getLogger(Allocator.class);

    /** Denials of a single claimed address before the claim fails (Weave gave up after 5 tries). */
    static final int CLAIM_DENIALS = 3;

    /** Paxos changes are broadcast at most this often (topology gossip batches for 1 s). */
    static final Duration PAXOS_BATCH = Duration.ofMillis(100);

    /** Longest a caller may wait for an allocation, claim or the ring. */
    public static final Duration MAX_WAIT = Duration.ofMinutes(10);

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
    private final Durability durability;

    Ring ring;
    final Allocations allocations;
    final Paxos paxos; // null in seed mode
    boolean consensusStarted;
    int lastVotersSeen;
    boolean left;
    /** Peers we must hear the ring from before allocating (restart without a store); null when not relearning. */
    Set<PeerName> relearning;
    /** True until this peer holds a ring that it either loaded, created or confirmed by relearning. */
    private boolean fresh;

    final ArrayDeque<Waiting.Allocate> waitingAllocations = new ArrayDeque<>();
    final List<Waiting.Claim> waitingClaims = new ArrayList<>();
    final List<Waiting.RingRequest> waitingRing = new ArrayList<>();
    final Map<Cidr, SpaceAsk> asks = new LinkedHashMap<>();

    long refusedUpdates;
    String lastRefusal = "";
    private final Map<String, Long> refusalLoggedAt = new HashMap<>();
    long malformedMessages;

    private Leave leaving;

    // The turn being built.
    private boolean ringDirty;
    private boolean stateDirty;
    private boolean broadcastWanted;
    private NodeClaims paxosToStore;
    private NodeClaims storedPaxos;
    private List<OwnershipChange> changes = new ArrayList<>();
    private List<Runnable> effects = new ArrayList<>();
    private List<CompletableFuture<?>> turnFutures = new ArrayList<>();
    private boolean flushQueued;
    private boolean paxosBroadcastQueued;

    /** The last durable state, what periodic gossip sends (read by the mesh's threads). */
    private final DurableState durableState = new DurableState();

    private record Leave(CompletableFuture<String> result, PeerName heir, String done, Cancellable timer) {}

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
        this.durability = durability;
        this.allocations = new Allocations(start, end);
        NodeClaims mine = NodeClaims.NONE;
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
        stateDirty = true;
    }

    /** Starts the periodic retry timer; call once on the actor, then {@link #flush()}. */
    public void start() {
        if (!ring.isEmpty() && ring.isRemoved(me)) {
            log.error("this peer ({}) was removed from the IPAM ring by rmpeer: it will not allocate", me);
        }
        if (config.init() instanceof InitMode.Seed) {
            needRing(); // every peer builds the same ring from the same list, at once (like Weave)
        }
        scheduleTick();
        stateDirty = true;
        requestFlush();
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

    /** Runs {@code task} on the actor after {@code delay}, then ends the turn. */
    private Cancellable after(Duration delay, Runnable task) {
        return scheduler.schedule(delay, () -> {
            task.run();
            flush();
        });
    }

    /** Makes sure the turn ends (flush) after the tasks already queued on the actor. */
    private void requestFlush() {
        if (!flushQueued) {
            flushQueued = true;
            scheduler.execute(() -> {
                flushQueued = false;
                flush();
            });
        }
    }

    // ---------------------------------------------------------------- requests

    /** Allocates for {@code id} in {@code subnet} (null = default subnet). */
    public void allocate(ContainerId id, Cidr subnet, Duration timeout, CompletableFuture<Cidr> result) {
        Cidr s = subnet == null ? config.defaultSubnet() : subnet;
        if (!s.isSubnet() || !config.range().contains(s) || s.prefixLength() > IpamConfig.MAX_RANGE_PREFIX) {
            fail(
                    result,
                    IpamException.badRequest("subnet " + s + " must be a subnet (no host bits) inside the range "
                            + config.range() + ", /" + IpamConfig.MAX_RANGE_PREFIX + " or bigger"));
            return;
        }
        if (refuseWhenUnavailable(result)) {
            return;
        }
        Cidr have = allocations.inSubnet(id, s);
        if (have != null) {
            complete(result, have);
            return;
        }
        Waiting.Allocate w = new Waiting.Allocate(id, s, result);
        if (waitingAllocations.isEmpty() && tryAllocate(w)) {
            return;
        }
        waitingAllocations.add(w);
        arm(w, timeout);
        needRing();
        askForSpaceIfNeeded();
    }

    /** Claims {@code address} for {@code id}. */
    public void claim(ContainerId id, Cidr address, Duration timeout, CompletableFuture<Cidr> result) {
        if (refuseWhenUnavailable(result)) {
            return;
        }
        long a = address.address().value();
        boolean inside = config.range().contains(a);
        if (inside && address.prefixLength() < config.range().prefixLength()) {
            fail(
                    result,
                    IpamException.badRequest("claim of " + address + ": its subnet " + address.subnet()
                            + " is bigger than the range " + config.range()));
            return;
        }
        Waiting.Claim w = new Waiting.Claim(id, address, result);
        if (tryClaim(w)) {
            return;
        }
        waitingClaims.add(w);
        arm(w, timeout);
        needRing();
    }

    /** The addresses of {@code id}. */
    public void lookup(ContainerId id, CompletableFuture<List<Cidr>> result) {
        complete(result, allocations.of(id));
    }

    /** Every ownership record. */
    public void owned(CompletableFuture<Map<ContainerId, List<Cidr>>> result) {
        complete(result, allocations.all());
    }

    /** Frees every address of {@code id}. */
    public void free(ContainerId id, CompletableFuture<List<Cidr>> result) {
        List<Cidr> had = allocations.of(id);
        for (Cidr c : had) {
            release(id, c.address().value());
        }
        complete(result, had);
        if (!had.isEmpty()) {
            retryWaiting();
        }
    }

    /** Frees one address of {@code id}. */
    public void free(ContainerId id, Address address, CompletableFuture<Boolean> result) {
        boolean freed = release(id, address.value());
        complete(result, freed);
        if (freed) {
            retryWaiting();
        }
    }

    private boolean release(ContainerId id, long addr) {
        Cidr removed = allocations.remove(id, addr);
        if (removed == null) {
            return false;
        }
        changes.add(new OwnershipChange(id, removed, false));
        return true;
    }

    /** The ring as seen here, once it exists. */
    public void ring(Duration timeout, CompletableFuture<RingView> result) {
        if (!ring.isEmpty()) {
            complete(result, StatusReport.view(this));
            return;
        }
        if (refuseWhenUnavailable(result)) {
            return;
        }
        Waiting.RingRequest w = new Waiting.RingRequest(result);
        waitingRing.add(w);
        arm(w, timeout);
        needRing();
    }

    /** A status snapshot. */
    public void status(CompletableFuture<IpamStatus> result) {
        complete(result, StatusReport.status(this));
    }

    /** Status now, computed on the actor (for tests and the simulator). */
    public IpamStatus statusNow() {
        return StatusReport.status(this);
    }

    // ---------------------------------------------------------------- allocation

    private boolean refuseWhenUnavailable(CompletableFuture<?> result) {
        String why = unavailableReason();
        if (why != null) {
            fail(result, IpamException.unavailable(why));
            return true;
        }
        return false;
    }

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
        String f = durability.failure();
        if (f != null) {
            return "the IPAM store failed: " + f;
        }
        return null;
    }

    private boolean canAllocate() {
        return !ring.isEmpty() && relearning == null && unavailableReason() == null;
    }

    private boolean tryAllocate(Waiting.Allocate w) {
        Cidr have = allocations.inSubnet(w.id, w.subnet);
        if (have != null) {
            complete(w.result, have);
            return true;
        }
        if (!canAllocate()) {
            return false;
        }
        long a = lowestFreeOwned(w.subnet.hostStart(), w.subnet.hostEnd());
        if (a < 0) {
            return false;
        }
        Cidr c = new Cidr(new Address(a), w.subnet.prefixLength());
        allocations.add(w.id, c);
        changes.add(new OwnershipChange(w.id, c, true));
        complete(w.result, c);
        return true;
    }

    private long lowestFreeOwned(long from, long to) {
        int k = ring.indexOf(from);
        if (k < 0) {
            return -1;
        }
        for (; k < ring.size() && ring.entry(k).token() < to; k++) {
            if (ring.entry(k).owner().equals(me)) {
                long a = allocations.lowestFree(Math.max(from, ring.entry(k).token()), Math.min(to, ring.rangeEnd(k)));
                if (a >= 0) {
                    return a;
                }
            }
        }
        return -1;
    }

    private boolean tryClaim(Waiting.Claim w) {
        long a = w.address.address().value();
        ContainerId holder = allocations.holder(a);
        if (holder != null) {
            if (holder.equals(w.id)) {
                complete(
                        w.result,
                        allocations.of(w.id).stream()
                                .filter(c -> c.address().value() == a)
                                .findFirst()
                                .orElse(w.address));
            } else {
                fail(w.result, IpamException.conflict(w.address.address() + " is held by container " + holder));
            }
            return true;
        }
        if (!config.range().contains(a)) {
            record(w);
            return true;
        }
        if (!canAllocate()) {
            return false;
        }
        PeerName owner = ring.ownerOf(a);
        if (owner.equals(me)) {
            record(w);
            return true;
        }
        if (ring.isRemoved(owner) || !mesh.isReachable(owner)) {
            return false;
        }
        long now = nanos();
        if (!owner.equals(w.askedOwner)
                || now - w.askedAt >= config.retryInterval().toNanos()) {
            w.askedOwner = owner;
            w.askedAt = now;
            send(owner, new IpamMessage.SpaceRequest(a, a + 1));
        }
        return false;
    }

    private void record(Waiting.Claim w) {
        allocations.add(w.id, w.address);
        changes.add(new OwnershipChange(w.id, w.address, true));
        complete(w.result, w.address);
    }

    private void arm(Waiting w, Duration timeout) {
        Duration d = timeout == null || timeout.isNegative() || timeout.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : timeout;
        w.timer = after(d, () -> expire(w));
    }

    private void expire(Waiting w) {
        boolean removed =
                switch (w) {
                    case Waiting.Allocate a -> waitingAllocations.remove(a);
                    case Waiting.Claim c -> waitingClaims.remove(c);
                    case Waiting.RingRequest r -> waitingRing.remove(r);
                };
        if (removed) {
            fail(w.future, IpamException.timeout("gave up waiting: " + StatusReport.waitReason(this, w)));
        }
    }

    /** Retries everything that waits, in order: ring requests, claims, allocations. */
    void retryWaiting() {
        if (!ring.isEmpty()) {
            for (Waiting.RingRequest r : waitingRing) {
                r.cancelTimer();
                complete(r.result, StatusReport.view(this));
            }
            waitingRing.clear();
        }
        for (Iterator<Waiting.Claim> it = waitingClaims.iterator(); it.hasNext(); ) {
            Waiting.Claim c = it.next();
            if (tryClaim(c)) {
                c.cancelTimer();
                it.remove();
            }
        }
        while (!waitingAllocations.isEmpty()) {
            Waiting.Allocate a = waitingAllocations.peek();
            if (!tryAllocate(a)) {
                break;
            }
            a.cancelTimer();
            waitingAllocations.poll();
        }
        // Later allocations in other subnets need not wait behind one that is stuck.
        for (Iterator<Waiting.Allocate> it = waitingAllocations.iterator(); it.hasNext(); ) {
            Waiting.Allocate a = it.next();
            if (tryAllocate(a)) {
                a.cancelTimer();
                it.remove();
            }
        }
        askForSpaceIfNeeded();
    }

    private void failAllWaiting(IpamException e) {
        for (Waiting w : allWaiting()) {
            w.cancelTimer();
            fail(w.future, e);
        }
        waitingAllocations.clear();
        waitingClaims.clear();
        waitingRing.clear();
    }

    List<Waiting> allWaiting() {
        List<Waiting> all = new ArrayList<>(waitingRing);
        all.addAll(waitingClaims);
        all.addAll(waitingAllocations);
        return all;
    }

    // ---------------------------------------------------------------- space requests

    private void askForSpaceIfNeeded() {
        if (!canAllocate()) {
            return;
        }
        Set<Cidr> needed = new HashSet<>();
        for (Waiting.Allocate a : waitingAllocations) {
            needed.add(a.subnet);
        }
        asks.keySet().retainAll(needed);
        long now = nanos();
        for (Cidr s : needed) {
            SpaceAsk ask = asks.computeIfAbsent(s, k -> new SpaceAsk());
            if (ask.donor != null && now - ask.sentAt < config.retryInterval().toNanos()) {
                continue;
            }
            List<PeerName> donors = StatusReport.donors(this, s, ask.deniedBy);
            if (donors.isEmpty()) {
                ask.donor = null;
                continue;
            }
            ask.donor = donors.getFirst();
            ask.sentAt = now;
            ask.requests++;
            send(ask.donor, new IpamMessage.SpaceRequest(s.start(), s.end()));
        }
    }

    private void onSpaceRequest(PeerName src, IpamMessage.SpaceRequest r) {
        Donation.Block b = null;
        if (canAllocate() && !ring.isRemoved(src) && !src.equals(me)) {
            b = Donation.choose(ring, me, allocations, r.start(), r.end());
        }
        if (b == null) {
            send(src, new IpamMessage.SpaceDenied(r.start(), r.end()));
            if (!ring.isEmpty()) {
                send(src, state(false));
            }
            return;
        }
        log.debug(
                "donating {}-{} ({} addresses) to {}",
                Address.format(b.start()),
                Address.format(b.end() - 1),
                b.size(),
                src);
        setRing(ring.grant(b.start(), b.end(), src, me));
        reportFree();
        send(src, state(false));
        wantBroadcast();
    }

    private void onSpaceDenied(PeerName src, IpamMessage.SpaceDenied d) {
        if (d.end() - d.start() == 1) {
            for (Iterator<Waiting.Claim> it = waitingClaims.iterator(); it.hasNext(); ) {
                Waiting.Claim c = it.next();
                if (c.address.address().value() == d.start()
                        && src.equals(c.askedOwner)
                        && ++c.denials >= CLAIM_DENIALS) {
                    it.remove();
                    c.cancelTimer();
                    fail(
                            c.result,
                            IpamException.conflict("peer " + src + " owns " + c.address.address()
                                    + " and will not give it up (it is in use there)"));
                }
            }
        }
        for (Map.Entry<Cidr, SpaceAsk> e : asks.entrySet()) {
            if (e.getKey().start() == d.start() && e.getKey().end() == d.end()) {
                e.getValue().deniedBy.add(src);
                if (src.equals(e.getValue().donor)) {
                    e.getValue().donor = null;
                }
            }
        }
        askForSpaceIfNeeded();
    }

    // ---------------------------------------------------------------- seeding

    /** Something needs the ring: seed it, or start consensus, or ask for it, as configured. */
    private void needRing() {
        if (!ring.isEmpty() || left) {
            return;
        }
        switch (config.init()) {
            case InitMode.Seed s -> {
                List<PeerName> names = new ArrayList<>();
                for (String n : s.peerNames()) {
                    names.add(PeerName.parse(n));
                }
                setRing(Ring.seed(start, end, names));
                fresh = false;
                wantBroadcast();
                retryWaiting();
            }
            case InitMode.Consensus c -> {
                if (!consensusStarted) {
                    consensusStarted = true;
                    paxos.propose();
                    paxosStep();
                }
            }
            case InitMode.Observer o -> {
                if (!consensusStarted) {
                    consensusStarted = true;
                    byte[] ask = IpamCodec.encode(new IpamMessage.State(null, Map.of(), true));
                    broadcast(ask);
                }
            }
        }
    }

    private void paxosStep() {
        paxos.think();
        if (!paxos.mine().equals(storedPaxos)) {
            paxosToStore = paxos.mine();
            storedPaxos = paxosToStore;
            requestFlush();
        }
        stateDirty = true;
        if (!paxosBroadcastQueued) {
            // Batch: every change a peer makes in the next 100 ms goes out in one broadcast, so 100
            // peers seeding together do not answer each message with one of their own.
            paxosBroadcastQueued = true;
            after(PAXOS_BATCH, () -> {
                paxosBroadcastQueued = false;
                if (ring.isEmpty() && !left) {
                    wantBroadcast();
                }
            });
        }
        paxos.consensus().ifPresent(peers -> {
            log.info("IPAM consensus reached: seeding the ring for {}", peers);
            setRing(Ring.seed(start, end, peers));
            fresh = false;
            retryWaiting();
        });
    }

    // ---------------------------------------------------------------- gossip

    /**
     * Handles one message of the IPAM channel.
     *
     * @param src the sending peer (the origin for unicasts and broadcasts); null for periodic
     *     gossip relayed by someone
     * @return true if it taught us something (the gossip layer may relay our state on)
     */
    public boolean onMessage(PeerName src, byte[] bytes, Via via) {
        IpamMessage m;
        try {
            m = IpamCodec.decode(bytes);
        } catch (IpamCodec.MalformedMessageException e) {
            malformedMessages++;
            logOnce("malformed:" + src, "dropped a malformed IPAM message from {}: {}", src, e.getMessage());
            return false;
        }
        return switch (m) {
            case IpamMessage.State s -> onState(src, s, via);
            case IpamMessage.SpaceRequest r -> {
                if (src != null) {
                    onSpaceRequest(src, r);
                }
                yield false;
            }
            case IpamMessage.SpaceDenied d -> {
                if (src != null) {
                    onSpaceDenied(src, d);
                }
                yield false;
            }
        };
    }

    private boolean onState(PeerName src, IpamMessage.State s, Via via) {
        boolean changed = false;
        if (s.ring() != null) {
            changed = mergeRing(src, s.ring(), via);
        } else if (!s.paxos().isEmpty() && ring.isEmpty() && paxos != null && !left) {
            if (paxos.merge(s.paxos())) {
                changed = true;
                paxosStep();
            }
        }
        boolean seedingElsewhere = s.ring() == null && !s.paxos().isEmpty();
        if ((s.wantReply() || seedingElsewhere) && src != null && !src.equals(me)) {
            if (!ring.isEmpty()) {
                send(src, state(false)); // they are seeding or asking, but the ring exists: here it is
            } else if (s.wantReply() && config.init() instanceof InitMode.Consensus) {
                needRing();
            }
        }
        if (relearning != null && src != null && (s.ring() != null || ring.isEmpty())) {
            relearning.remove(src);
            checkRelearned();
        }
        return changed;
    }

    private boolean mergeRing(PeerName src, Ring received, Via via) {
        Ring joined;
        try {
            joined = ring.join(received);
        } catch (InvalidRingException e) {
            refuse(src, e.getMessage());
            return false;
        }
        boolean removedNow = joined.isRemoved(me) && !ring.isRemoved(me);
        if (!removedNow) {
            joined = joined.takeOverRemoved(me);
            String conflict = RingGuard.conflict(ring, joined, me, allocations, src);
            if (conflict != null) {
                refuse(src, conflict);
                return false;
            }
        }
        boolean wasEmpty = ring.isEmpty();
        boolean ownedBefore = ring.addressesByOwner().containsKey(me);
        if (joined.equals(ring)) {
            if (src != null && via != Via.GOSSIP && !RingGuard.sameOwnership(joined, received)) {
                send(src, state(false)); // they lack something we know
            }
            checkLeaveAck(src, received);
            return false;
        }
        setRing(joined);
        if (removedNow) {
            log.error(
                    "this peer ({}) was removed from the IPAM ring by rmpeer on another peer;"
                            + " {} addresses allocated here may be handed out again by the heirs",
                    me,
                    allocations.count());
            failAllWaiting(IpamException.unavailable(unavailableReason()));
            return true;
        }
        if (fresh && !ownedBefore && ring.addressesByOwner().containsKey(me) && !tookPartInSeeding()) {
            startRelearning();
        }
        fresh = false;
        if (wasEmpty) {
            consensusStarted = false;
        }
        if (!RingGuard.sameOwnership(joined, received)) {
            wantBroadcast(); // we added something (a takeover, or knowledge they lack)
        }
        if (src != null && via == Via.UNICAST) {
            send(src, state(false)); // acknowledge: the donor or leaver learns we have it
        }
        reportFree();
        checkLeaveAck(src, received);
        retryWaiting();
        return true;
    }

    private void refuse(PeerName src, String why) {
        refusedUpdates++;
        lastRefusal = "from " + (src == null ? "gossip" : src.toString()) + ": " + why;
        logOnce("refuse:" + src + ":" + why, "refused an IPAM ring update {}", lastRefusal);
    }

    private void logOnce(String key, String format, Object... args) {
        long now = nanos();
        Long at = refusalLoggedAt.get(key);
        if (at == null || now - at > Duration.ofMinutes(1).toNanos()) {
            if (refusalLoggedAt.size() > 1000) {
                refusalLoggedAt.clear();
            }
            refusalLoggedAt.put(key, now);
            log.warn(format, args);
        }
    }

    // ---------------------------------------------------------------- relearning

    /**
     * Whether this peer voted for the seeds of the current ring: then a ring naming it is new, not
     * the leftover of an earlier incarnation that lost its store.
     */
    private boolean tookPartInSeeding() {
        if (paxos == null) {
            return true; // seed mode seeds at start, like Weave; see docs/api.md on store loss
        }
        NodeClaims mine = paxos.mine();
        return !mine.accepted().isNone() && mine.value().equals(ring.seeds());
    }

    private void startRelearning() {
        Set<PeerName> must = new HashSet<>(mesh.reachablePeers());
        for (PeerName p : ring.addressesByOwner().keySet()) {
            if (!ring.isRemoved(p)) {
                must.add(p);
            }
        }
        must.remove(me);
        if (must.isEmpty()) {
            return;
        }
        relearning = must;
        log.info("restarted without a store but the ring says we own space: relearning from {}", must);
        byte[] ask = IpamCodec.encode(new IpamMessage.State(ring, Map.of(), true));
        broadcast(ask);
    }

    private void checkRelearned() {
        if (relearning == null) {
            return;
        }
        relearning.removeIf(ring::isRemoved);
        if (relearning.isEmpty()) {
            relearning = null;
            log.info("relearnt the ring from every peer: allocating again");
            retryWaiting();
        }
    }

    // ---------------------------------------------------------------- leave and rmpeer

    /** Hands all space to a live heir and stops serving. */
    public void leave(boolean force, CompletableFuture<String> result) {
        if (left) {
            complete(result, "already left the ring");
            return;
        }
        if (allocations.count() > 0 && !force) {
            fail(
                    result,
                    IpamException.conflict(allocations.count() + " addresses are still allocated here (e.g. "
                            + allocations.all().entrySet().iterator().next()
                            + "); free them first, or force the leave if"
                            + " their containers are gone"));
            return;
        }
        long owned = ring.addressesByOwner().getOrDefault(me, 0L);
        if (owned == 0) {
            dropAllAllocations();
            left = true;
            failAllWaiting(IpamException.unavailable(unavailableReason()));
            complete(result, "left the ring; this peer owned no space");
            return;
        }
        PeerName heir = Takeover.chooseHeir(this);
        if (heir == null) {
            fail(
                    result,
                    IpamException.unavailable("no reachable peer to hand " + owned
                            + " addresses to; connect this router to a live peer first"));
            return;
        }
        dropAllAllocations();
        setRing(ring.transferAll(me, heir));
        left = true;
        failAllWaiting(IpamException.unavailable(unavailableReason()));
        send(heir, state(false));
        wantBroadcast();
        String done = "handed " + owned + " addresses to " + Takeover.describe(this, heir);
        Cancellable timer = after(config.leaveTimeout(), () -> {
            if (leaving != null) {
                complete(
                        leaving.result(),
                        leaving.done() + " (" + heir + " has not confirmed within "
                                + config.leaveTimeout().toSeconds() + " s; it learns the change through gossip)");
                leaving = null;
            }
        });
        leaving = new Leave(result, heir, done, timer);
    }

    private void checkLeaveAck(PeerName src, Ring received) {
        if (leaving != null
                && leaving.heir().equals(src)
                && RingGuard.ownershipCovers(received, ring, leaving.heir())) {
            leaving.timer().cancel();
            complete(leaving.result(), leaving.done() + "; " + src + " confirmed");
            leaving = null;
        }
    }

    private void dropAllAllocations() {
        for (Map.Entry<ContainerId, List<Cidr>> e : allocations.all().entrySet()) {
            for (Cidr c : e.getValue()) {
                release(e.getKey(), c.address().value());
            }
        }
    }

    /** rmpeer: marks {@code name} removed; heirs (the owners just below its ranges) take its space. */
    public void removePeer(String name, boolean takeAll, CompletableFuture<String> result) {
        try {
            complete(result, Takeover.remove(this, name, takeAll));
        } catch (IpamException e) {
            fail(result, e);
        }
    }

    /** The peer view changed: retry what waits for a reachable donor or owner. */
    public void peersChanged() {
        if (relearning != null) {
            checkRelearned();
        }
        retryWaiting();
    }

    // ---------------------------------------------------------------- timer

    void tick() {
        if (ring.isEmpty() && consensusStarted && paxos != null && !left) {
            if (config.init() instanceof InitMode.Observer) {
                byte[] ask = IpamCodec.encode(new IpamMessage.State(null, Map.of(), true));
                broadcast(ask);
            } else {
                // Re-propose when stuck (randomly, so competing proposers do not duel forever).
                if (paxos.consensus().isEmpty() && random.nextBoolean()) {
                    paxos.propose();
                }
                paxosStep();
            }
        }
        if (relearning != null) {
            byte[] ask = IpamCodec.encode(new IpamMessage.State(ring.isEmpty() ? null : ring, Map.of(), true));
            broadcast(ask);
            checkRelearned();
        }
        for (SpaceAsk a : asks.values()) {
            a.deniedBy.clear();
        }
        if (!ring.isEmpty()) {
            Ring before = ring;
            ring = ring.takeOverRemoved(me);
            if (!ring.equals(before)) {
                ringDirty = true;
                stateDirty = true;
                wantBroadcast();
            }
        }
        reportFree();
        retryWaiting();
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
            stateDirty = true;
        }
    }

    // ---------------------------------------------------------------- turn plumbing

    void wantBroadcast() {
        broadcastWanted = true;
        requestFlush();
    }

    private void broadcast(byte[] message) {
        effects.add(() -> mesh.broadcast(message));
        requestFlush();
    }

    void setRing(Ring r) {
        if (!r.equals(ring)) {
            ring = r;
            ringDirty = true;
            stateDirty = true;
            requestFlush();
        }
    }

    /** Our state as a message. */
    IpamMessage.State state(boolean wantReply) {
        if (ring.isEmpty()) {
            return new IpamMessage.State(null, paxos == null ? Map.of() : paxos.knowledge(), wantReply);
        }
        return new IpamMessage.State(ring, Map.of(), wantReply);
    }

    void send(PeerName to, IpamMessage m) {
        byte[] b = IpamCodec.encode(m);
        effects.add(() -> mesh.unicast(to, b));
        requestFlush();
    }

    <T> void complete(CompletableFuture<T> f, T value) {
        turnFutures.add(f);
        effects.add(() -> f.complete(value));
        requestFlush();
    }

    void fail(CompletableFuture<?> f, IpamException e) {
        turnFutures.add(f);
        effects.add(() -> f.completeExceptionally(e));
        requestFlush();
    }

    /**
     * Ends the turn: hands its changes to durability; completions and messages are released when
     * they are durable.
     */
    public void flush() {
        if (broadcastWanted) {
            broadcastWanted = false;
            byte[] s = IpamCodec.encode(state(false));
            effects.add(() -> mesh.broadcast(s));
        }
        StoreBatch batch = new StoreBatch(ringDirty ? ring : null, changes, paxosToStore);
        if (batch.isEmpty() && effects.isEmpty() && !stateDirty) {
            return;
        }
        byte[] snapshot = stateDirty && (!ring.isEmpty() || paxos != null) ? IpamCodec.encode(state(false)) : null;
        List<Runnable> fx = effects;
        List<CompletableFuture<?>> futures = turnFutures;
        ringDirty = false;
        stateDirty = false;
        paxosToStore = null;
        changes = new ArrayList<>();
        effects = new ArrayList<>();
        turnFutures = new ArrayList<>();
        durability.submit(
                batch,
                () -> {
                    if (snapshot != null) {
                        durableState.set(snapshot);
                    }
                    for (Runnable r : fx) {
                        r.run();
                    }
                },
                why -> {
                    IpamException e = IpamException.unavailable("the IPAM store failed, nothing was changed: " + why);
                    for (CompletableFuture<?> f : futures) {
                        f.completeExceptionally(e);
                    }
                });
    }

    /**
     * Our state for periodic gossip: the last one that is durable (never ahead of the disk). Any
     * thread.
     */
    public byte[] gossip() {
        return durableState.get();
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
