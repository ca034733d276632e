package dev.weft.ipam.internal;

import dev.weft.gossip.api.PeerName;
import dev.weft.ipam.api.Address;
import dev.weft.ipam.api.Cidr;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Space requests and donation between peers. A peer whose allocations wait for space in a subnet
 * asks one peer at a time (the peers reporting most free space there first, weighted at random)
 * and asks again after the retry interval or a denial; a peer asked for space donates at most half
 * of its biggest free aligned block there ({@link Donation}), or replies with a denial and its ring.
 *
 * <p>Actor thread only.
 */
final class SpaceRequests {

    private static final Logger log = LoggerFactory.getLogger(SpaceRequests.class);

    private final Allocator a;
    /** The outstanding request per subnet that allocations wait in. */
    final Map<Cidr, SpaceAsk> asks = new LinkedHashMap<>();

    SpaceRequests(Allocator a) {
        this.a = a;
    }

    /** Asks a donor for space in each subnet that allocations wait in, unless one was asked recently. */
    void askForSpaceIfNeeded() {
        if (!a.requests.canAllocate()) {
            return;
        }
        Set<Cidr> needed = new HashSet<>();
        for (Waiting.Allocate w : a.requests.waitingAllocations) {
            needed.add(w.subnet);
        }
        asks.keySet().retainAll(needed);
        long now = a.nanos();
        for (Cidr s : needed) {
            SpaceAsk ask = asks.computeIfAbsent(s, k -> new SpaceAsk());
            if (ask.donor != null && now - ask.sentAt < a.config.retryInterval().toNanos()) {
                continue;
            }
            List<PeerName> donors = StatusReport.donors(a, s, ask.deniedBy);
            if (donors.isEmpty()) {
                ask.donor = null;
                continue;
            }
            ask.donor = donors.getFirst();
            ask.sentAt = now;
            ask.requests++;
            a.turn.send(ask.donor, new IpamMessage.SpaceRequest(s.start(), s.end()));
        }
    }

    /** A new round (the retry timer): peers that said no may have space again. */
    void newRound() {
        for (SpaceAsk ask : asks.values()) {
            ask.deniedBy.clear();
        }
    }

    void onSpaceRequest(PeerName src, IpamMessage.SpaceRequest r) {
        Donation.Block b = null;
        if (a.requests.canAllocate() && !a.ring.isRemoved(src) && !src.equals(a.me)) {
            b = Donation.choose(a.ring, a.me, a.allocations, r.start(), r.end());
        }
        if (b == null) {
            a.turn.send(src, new IpamMessage.SpaceDenied(r.start(), r.end()));
            if (!a.ring.isEmpty()) {
                a.turn.send(src, a.state(false));
            }
            return;
        }
        log.debug(
                "donating {}-{} ({} addresses) to {}",
                Address.format(b.start()),
                Address.format(b.end() - 1),
                b.size(),
                src);
        a.setRing(a.ring.grant(b.start(), b.end(), src, a.me));
        a.reportFree();
        a.turn.send(src, a.state(false));
        a.turn.wantBroadcast();
    }

    void onSpaceDenied(PeerName src, IpamMessage.SpaceDenied d) {
        if (d.end() - d.start() == 1) {
            a.requests.claimDenied(src, d.start());
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
}
