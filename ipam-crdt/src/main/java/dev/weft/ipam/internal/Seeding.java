package dev.weft.ipam.internal;

import dev.weft.gossip.api.PeerName;
import dev.weft.ipam.api.InitMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seeding a new cluster's ring, as configured: consensus over gossip (Paxos with a quorum of the
 * expected peers, started by the first request that needs the ring), a fixed seed list (every peer
 * builds the same ring at once), or observer mode (never votes; asks for the ring).
 *
 * <p>Actor thread only.
 */
final class Seeding {

    private static final Logger log = LoggerFactory.getLogger(Seeding.class);

    /** Paxos changes are broadcast at most this often (topology gossip batches for 1 s). */
    static final Duration PAXOS_BATCH = Duration.ofMillis(100);

    private final Allocator a;
    /** True once a request needed the ring and consensus (or the observer's ask) began. */
    boolean consensusStarted;
    /** Our Paxos claims as last handed to the store. */
    private NodeClaims storedPaxos;

    private boolean paxosBroadcastQueued;

    Seeding(Allocator a, NodeClaims stored) {
        this.a = a;
        this.storedPaxos = stored;
    }

    /** Something needs the ring: seed it, or start consensus, or ask for it, as configured. */
    void needRing() {
        if (!a.ring.isEmpty() || a.left) {
            return;
        }
        switch (a.config.init()) {
            case InitMode.Seed s -> {
                List<PeerName> names = new ArrayList<>();
                for (String n : s.peerNames()) {
                    names.add(PeerName.parse(n));
                }
                a.setRing(Ring.seed(a.start, a.end, names));
                a.fresh = false;
                a.turn.wantBroadcast();
                a.requests.retryWaiting();
            }
            case InitMode.Consensus c -> {
                if (!consensusStarted) {
                    consensusStarted = true;
                    a.paxos.propose();
                    paxosStep();
                }
            }
            case InitMode.Observer o -> {
                if (!consensusStarted) {
                    consensusStarted = true;
                    a.turn.broadcast(IpamCodec.encode(new IpamMessage.State(null, Map.of(), true)));
                }
            }
        }
    }

    /** Peers' Paxos knowledge arrived (we have no ring yet): merge it and act on it. */
    boolean onPaxos(Map<PeerName, NodeClaims> knowledge) {
        if (a.paxos.merge(knowledge)) {
            paxosStep();
            return true;
        }
        return false;
    }

    /** Lets Paxos act on what it knows; stores and (batched) broadcasts our claims; seeds on consensus. */
    void paxosStep() {
        a.paxos.think();
        if (!a.paxos.mine().equals(storedPaxos)) {
            storedPaxos = a.paxos.mine();
            a.turn.storePaxos(storedPaxos);
        }
        a.turn.stateChanged();
        if (!paxosBroadcastQueued) {
            // Batch: every change a peer makes in the next 100 ms goes out in one broadcast, so 100
            // peers seeding together do not answer each message with one of their own.
            paxosBroadcastQueued = true;
            a.turn.after(PAXOS_BATCH, () -> {
                paxosBroadcastQueued = false;
                if (a.ring.isEmpty() && !a.left) {
                    a.turn.wantBroadcast();
                }
            });
        }
        a.paxos.consensus().ifPresent(peers -> {
            log.info("IPAM consensus reached: seeding the ring for {}", peers);
            a.setRing(Ring.seed(a.start, a.end, peers));
            a.fresh = false;
            a.requests.retryWaiting();
        });
    }

    /** The retry timer: a stuck consensus proposes again; an observer asks again. */
    void tick() {
        if (a.ring.isEmpty() && consensusStarted && a.paxos != null && !a.left) {
            if (a.config.init() instanceof InitMode.Observer) {
                a.turn.broadcast(IpamCodec.encode(new IpamMessage.State(null, Map.of(), true)));
            } else {
                // Re-propose when stuck (randomly, so competing proposers do not duel forever).
                if (a.paxos.consensus().isEmpty() && a.random.nextBoolean()) {
                    a.paxos.propose();
                }
                paxosStep();
            }
        }
    }

    /**
     * Whether this peer voted for the seeds of the current ring: then a ring naming it is new, not
     * the leftover of an earlier incarnation that lost its store.
     */
    boolean tookPart() {
        if (a.paxos == null) {
            return true; // seed mode seeds at start, like Weave; see docs/api.md on store loss
        }
        NodeClaims mine = a.paxos.mine();
        return !mine.accepted().isNone() && mine.value().equals(a.ring.seeds());
    }
}
