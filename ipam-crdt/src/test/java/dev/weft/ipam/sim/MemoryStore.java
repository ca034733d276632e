package dev.weft.ipam.sim;

import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.api.Scheduler;
import dev.weft.ipam.internal.Durability;
import dev.weft.ipam.internal.NodeClaims;
import dev.weft.ipam.internal.OwnershipChange;
import dev.weft.ipam.internal.Ring;
import dev.weft.ipam.internal.StoreBatch;
import dev.weft.ipam.internal.StoredState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A store in virtual time: a batch becomes durable (and its callback runs) one simulated fsync
 * after submission; a crash loses every batch not yet durable, exactly like kill -9.
 */
public final class MemoryStore {

    static final long FSYNC_NANOS = 300_000; // ~0.26 ms measured for SQLite WAL here

    private final PeerName peer;
    private Ring ring;
    private NodeClaims paxos = NodeClaims.NONE;
    private final TreeMap<Long, OwnershipChange> owned = new TreeMap<>();
    private int epoch;
    private long durableUntil;

    MemoryStore(PeerName peer, Ring empty) {
        this.peer = peer;
        this.ring = empty;
    }

    /**
     * The durability for one incarnation, timed on {@code disk} (an actor of that incarnation:
     * when the host crashes, the actor dies and so do the writes in flight); {@link #crash()} cuts
     * it off too.
     */
    Durability durability(Scheduler disk) {
        int myEpoch = epoch;
        return new Durability() {
            @Override
            public void submit(StoreBatch batch, Runnable onDurable, Consumer<String> onFailure) {
                long now = nanos(disk.now());
                long at = Math.max(now, durableUntil) + FSYNC_NANOS;
                durableUntil = at;
                disk.schedule(Duration.ofNanos(at - now), () -> {
                    if (epoch != myEpoch) {
                        return; // crashed before this was durable
                    }
                    apply(batch);
                    onDurable.run();
                });
            }
        };
    }

    private static long nanos(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    private void apply(StoreBatch b) {
        if (b.ring() != null) {
            ring = b.ring();
        }
        if (b.paxos() != null) {
            paxos = b.paxos();
        }
        for (OwnershipChange c : b.ownership()) {
            long a = c.address().address().value();
            if (c.added()) {
                owned.put(a, c);
            } else if (owned.containsKey(a) && owned.get(a).id().equals(c.id())) {
                owned.remove(a);
            }
        }
    }

    void crash() {
        epoch++;
    }

    /** The disk is gone: the next incarnation starts without a store. */
    void wipe() {
        ring = Ring.empty(ring.start(), ring.end());
        paxos = NodeClaims.NONE;
        owned.clear();
    }

    StoredState load() {
        List<OwnershipChange> list = new ArrayList<>(owned.values());
        return new StoredState(peer, ring, list, paxos);
    }
}
