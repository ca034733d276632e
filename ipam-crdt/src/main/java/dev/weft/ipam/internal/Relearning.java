package dev.weft.ipam.internal;

import dev.weft.gossip.api.PeerName;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A peer restarted without its store learns from the ring that it owns space, but no longer knows
 * what it allocated there. Before allocating again it waits to hear the ring from every live owner
 * and every reachable peer (one of them may hold a newer ring that moved its space away); a dead
 * peer it waits for is dropped from the list once it is removed by rmpeer.
 *
 * <p>Actor thread only.
 */
final class Relearning {

    private static final Logger log = LoggerFactory.getLogger(Relearning.class);

    private final Allocator a;
    /** Peers we must hear the ring from before allocating; null when not relearning. */
    private Set<PeerName> from;

    Relearning(Allocator a) {
        this.a = a;
    }

    boolean active() {
        return from != null;
    }

    /** The peers still to hear from (empty when not relearning). */
    Set<PeerName> waitingFor() {
        return from == null ? Set.of() : from;
    }

    /** Starts relearning from every live owner and reachable peer (if there are any). */
    void start() {
        Set<PeerName> must = new HashSet<>(a.mesh.reachablePeers());
        for (PeerName p : a.ring.addressesByOwner().keySet()) {
            if (!a.ring.isRemoved(p)) {
                must.add(p);
            }
        }
        must.remove(a.me);
        if (must.isEmpty()) {
            return;
        }
        from = must;
        log.info("restarted without a store but the ring says we own space: relearning from {}", must);
        a.turn.broadcast(IpamCodec.encode(new IpamMessage.State(a.ring, Map.of(), true)));
    }

    /** {@code src} told us its ring (or that it has none). */
    void heardFrom(PeerName src) {
        if (from != null) {
            from.remove(src);
            check();
        }
    }

    /** Ends relearning once every peer waited for answered or was removed. */
    void check() {
        if (from == null) {
            return;
        }
        from.removeIf(a.ring::isRemoved);
        if (from.isEmpty()) {
            from = null;
            log.info("relearnt the ring from every peer: allocating again");
            a.requests.retryWaiting();
        }
    }

    /** The retry timer: ask again. */
    void tick() {
        if (from != null) {
            a.turn.broadcast(IpamCodec.encode(new IpamMessage.State(a.ring.isEmpty() ? null : a.ring, Map.of(), true)));
            check();
        }
    }
}
