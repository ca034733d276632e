package dev.weft.ipam.internal;

import dev.weft.gossip.api.PeerName;
import dev.weft.ipam.api.InitMode;
import dev.weft.ipam.api.IpamException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What arrives on the IPAM channel: states (a ring, or Paxos knowledge while seeding), space
 * requests and denials. A received ring is joined with ours and adopted only if the join is valid
 * and takes away no space this peer has allocated in; otherwise it is refused, counted and
 * reported (status, rate-limited log), and nothing else happens: no reply loop, no disconnect.
 *
 * <p>Actor thread only.
 */
final class RingUpdates {

    private static final Logger log = LoggerFactory.getLogger(RingUpdates.class);

    private final Allocator a;
    long refusedUpdates;
    String lastRefusal = "";
    long malformedMessages;
    private final Map<String, Long> loggedAt = new HashMap<>();

    RingUpdates(Allocator a) {
        this.a = a;
    }

    /**
     * Handles one message of the IPAM channel.
     *
     * @param src the sending peer (the origin for unicasts and broadcasts); null for periodic
     *     gossip relayed by someone
     * @return true if it taught us something (the gossip layer may relay our state on)
     */
    boolean onMessage(PeerName src, byte[] bytes, Allocator.Via via) {
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
                    a.space.onSpaceRequest(src, r);
                }
                yield false;
            }
            case IpamMessage.SpaceDenied d -> {
                if (src != null) {
                    a.space.onSpaceDenied(src, d);
                }
                yield false;
            }
        };
    }

    private boolean onState(PeerName src, IpamMessage.State s, Allocator.Via via) {
        boolean changed = false;
        if (s.ring() != null) {
            changed = mergeRing(src, s.ring(), via);
        } else if (!s.paxos().isEmpty() && a.ring.isEmpty() && a.paxos != null && !a.left) {
            changed = a.seeding.onPaxos(s.paxos());
        }
        boolean seedingElsewhere = s.ring() == null && !s.paxos().isEmpty();
        if ((s.wantReply() || seedingElsewhere) && src != null && !src.equals(a.me)) {
            if (!a.ring.isEmpty()) {
                a.turn.send(src, a.state(false)); // they are seeding or asking, but the ring exists: here it is
            } else if (s.wantReply() && a.config.init() instanceof InitMode.Consensus) {
                a.seeding.needRing();
            }
        }
        if (a.relearning.active() && src != null && (s.ring() != null || a.ring.isEmpty())) {
            a.relearning.heardFrom(src);
        }
        return changed;
    }

    private boolean mergeRing(PeerName src, Ring received, Allocator.Via via) {
        Ring ring = a.ring;
        Ring joined;
        try {
            joined = ring.join(received);
        } catch (InvalidRingException e) {
            refuse(src, e.getMessage());
            return false;
        }
        boolean removedNow = joined.isRemoved(a.me) && !ring.isRemoved(a.me);
        if (!removedNow) {
            joined = joined.takeOverRemoved(a.me);
        }
        try {
            joined.check(); // e.g. two valid rings whose union is too big to send on
        } catch (InvalidRingException e) {
            refuse(src, "the merged ring would be invalid: " + e.getMessage());
            return false;
        }
        if (!removedNow) {
            String conflict = RingGuard.conflict(ring, joined, a.me, a.allocations, src);
            if (conflict != null) {
                refuse(src, conflict);
                return false;
            }
        }
        boolean wasEmpty = ring.isEmpty();
        boolean ownedBefore = ring.addressesByOwner().containsKey(a.me);
        if (joined.equals(ring)) {
            if (src != null && via != Allocator.Via.GOSSIP && !RingGuard.sameOwnership(joined, received)) {
                a.turn.send(src, a.state(false)); // they lack something we know
            }
            a.leaving.checkAck(src, received);
            return false;
        }
        a.setRing(joined);
        if (removedNow) {
            log.error(
                    "this peer ({}) was removed from the IPAM ring by rmpeer on another peer;"
                            + " {} addresses allocated here may be handed out again by the heirs",
                    a.me,
                    a.allocations.count());
            a.requests.failAllWaiting(IpamException.unavailable(a.unavailableReason()));
            return true;
        }
        if (a.fresh && !ownedBefore && a.ring.addressesByOwner().containsKey(a.me) && !a.seeding.tookPart()) {
            a.relearning.start();
        }
        a.fresh = false;
        if (wasEmpty) {
            a.seeding.consensusStarted = false;
        }
        if (!RingGuard.sameOwnership(joined, received)) {
            a.turn.wantBroadcast(); // we added something (a takeover, or knowledge they lack)
        }
        if (src != null && via == Allocator.Via.UNICAST) {
            a.turn.send(src, a.state(false)); // acknowledge: the donor or leaver learns we have it
        }
        a.reportFree();
        a.leaving.checkAck(src, received);
        a.requests.retryWaiting();
        return true;
    }

    private void refuse(PeerName src, String why) {
        refusedUpdates++;
        lastRefusal = "from " + (src == null ? "gossip" : src.toString()) + ": " + why;
        logOnce("refuse:" + src + ":" + why, "refused an IPAM ring update {}", lastRefusal);
    }

    /** Logs at most once a minute per key (a peer repeating the same bad update does not flood the log). */
    private void logOnce(String key, String format, Object... args) {
        long now = a.nanos();
        Long at = loggedAt.get(key);
        if (at == null || now - at > Duration.ofMinutes(1).toNanos()) {
            if (loggedAt.size() > 1000) {
                loggedAt.clear();
            }
            loggedAt.put(key, now);
            log.warn(format, args);
        }
    }
}
