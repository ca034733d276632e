package dev.weft.ipam.internal;

import dev.weft.gossip.api.Cancellable;
import dev.weft.gossip.api.PeerName;
import dev.weft.ipam.api.IpamException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One turn of the allocator actor, and what it may say only once it is durable. During a turn the
 * allocator records its changes (ring, ownership records, Paxos claims) and everything it wants to
 * say to the world (completions, unicasts, broadcasts); {@link #flush()} ends the turn: it hands the
 * changes to {@link Durability} and releases the rest when they are on disk. Many requests queued on
 * the actor share one turn (see {@link #requestFlush()}), so they share one store batch.
 *
 * <p>Actor thread only, except {@link #gossip()}.
 */
final class Turn {

    private final Allocator a;
    private final Durability durability;

    private boolean ringDirty;
    private boolean stateDirty;
    private boolean broadcastWanted;
    private NodeClaims paxosToStore;
    private List<OwnershipChange> changes = new ArrayList<>();
    private List<Runnable> effects = new ArrayList<>();
    private List<CompletableFuture<?>> futures = new ArrayList<>();
    private boolean flushQueued;

    /** The last durable state, what periodic gossip sends (read by the mesh's threads). */
    private final DurableState durableState = new DurableState();

    Turn(Allocator a, Durability durability) {
        this.a = a;
        this.durability = durability;
    }

    /** The store's failure, or null (any thread). */
    String storeFailure() {
        return durability.failure();
    }

    /** The state we gossip changed (free counts, Paxos): store a fresh snapshot with this turn. */
    void stateChanged() {
        stateDirty = true;
    }

    /** The ring changed: store it with this turn. */
    void ringChanged() {
        ringDirty = true;
        stateDirty = true;
    }

    /** An ownership record added or removed in this turn. */
    void record(OwnershipChange change) {
        changes.add(change);
    }

    /** Our Paxos claims changed: store them with this turn. */
    void storePaxos(NodeClaims claims) {
        paxosToStore = claims;
        requestFlush();
    }

    /** Makes sure the turn ends (flush) after the tasks already queued on the actor. */
    void requestFlush() {
        if (!flushQueued) {
            flushQueued = true;
            a.scheduler.execute(() -> {
                flushQueued = false;
                flush();
            });
        }
    }

    /** Runs {@code task} on the actor after {@code delay}, then ends the turn. */
    Cancellable after(Duration delay, Runnable task) {
        return a.scheduler.schedule(delay, () -> {
            task.run();
            flush();
        });
    }

    /** Broadcasts our state once this turn is durable. */
    void wantBroadcast() {
        broadcastWanted = true;
        requestFlush();
    }

    void broadcast(byte[] message) {
        effects.add(() -> a.mesh.broadcast(message));
        requestFlush();
    }

    void send(PeerName to, IpamMessage m) {
        byte[] b = IpamCodec.encode(m);
        effects.add(() -> a.mesh.unicast(to, b));
        requestFlush();
    }

    <T> void complete(CompletableFuture<T> f, T value) {
        futures.add(f);
        effects.add(() -> f.complete(value));
        requestFlush();
    }

    void fail(CompletableFuture<?> f, IpamException e) {
        futures.add(f);
        effects.add(() -> f.completeExceptionally(e));
        requestFlush();
    }

    /**
     * Ends the turn: hands its changes to durability; completions and messages are released when
     * they are durable.
     */
    void flush() {
        if (broadcastWanted) {
            broadcastWanted = false;
            byte[] s = IpamCodec.encode(a.state(false));
            effects.add(() -> a.mesh.broadcast(s));
        }
        StoreBatch batch = new StoreBatch(ringDirty ? a.ring : null, changes, paxosToStore);
        if (batch.isEmpty() && effects.isEmpty() && !stateDirty) {
            return;
        }
        byte[] snapshot =
                stateDirty && (!a.ring.isEmpty() || a.paxos != null) ? IpamCodec.encode(a.state(false)) : null;
        List<Runnable> fx = effects;
        List<CompletableFuture<?>> fs = futures;
        ringDirty = false;
        stateDirty = false;
        paxosToStore = null;
        changes = new ArrayList<>();
        effects = new ArrayList<>();
        futures = new ArrayList<>();
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
                    for (CompletableFuture<?> f : fs) {
                        f.completeExceptionally(e);
                    }
                });
    }

    /** Our state for periodic gossip: the last one that is durable (never ahead of the disk). Any thread. */
    byte[] gossip() {
        return durableState.get();
    }
}
