package dev.weft.ipam.internal;

import dev.weft.gossip.api.Cancellable;
import dev.weft.gossip.api.PeerName;
import dev.weft.ipam.api.Cidr;
import dev.weft.ipam.api.ContainerId;
import dev.weft.ipam.api.IpamException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Graceful leave: this peer hands all its space to a live heir ({@link Takeover#chooseHeir}) and
 * stops serving. The caller hears back when the heir confirms it has the space, or after the leave
 * timeout (the heir then learns it through gossip).
 *
 * <p>Actor thread only.
 */
final class Leaving {

    private final Allocator a;
    private Leave pending;

    private record Leave(CompletableFuture<String> result, PeerName heir, String done, Cancellable timer) {}

    Leaving(Allocator a) {
        this.a = a;
    }

    void leave(boolean force, CompletableFuture<String> result) {
        if (a.left) {
            a.turn.complete(result, "already left the ring");
            return;
        }
        if (a.allocations.count() > 0 && !force) {
            a.turn.fail(
                    result,
                    IpamException.conflict(a.allocations.count() + " addresses are still allocated here (e.g. "
                            + a.allocations.all().entrySet().iterator().next()
                            + "); free them first, or force the leave if"
                            + " their containers are gone"));
            return;
        }
        long owned = a.ring.addressesByOwner().getOrDefault(a.me, 0L);
        if (owned == 0) {
            dropAllAllocations();
            a.left = true;
            a.requests.failAllWaiting(IpamException.unavailable(a.unavailableReason()));
            a.turn.complete(result, "left the ring; this peer owned no space");
            return;
        }
        PeerName heir = Takeover.chooseHeir(a);
        if (heir == null) {
            a.turn.fail(
                    result,
                    IpamException.unavailable("no reachable peer to hand " + owned
                            + " addresses to; connect this router to a live peer first"));
            return;
        }
        dropAllAllocations();
        a.setRing(a.ring.transferAll(a.me, heir));
        a.left = true;
        a.requests.failAllWaiting(IpamException.unavailable(a.unavailableReason()));
        a.turn.send(heir, a.state(false));
        a.turn.wantBroadcast();
        String done = "handed " + owned + " addresses to " + Takeover.describe(a, heir);
        Cancellable timer = a.turn.after(a.config.leaveTimeout(), () -> {
            if (pending != null) {
                a.turn.complete(
                        pending.result(),
                        pending.done() + " (" + heir + " has not confirmed within "
                                + a.config.leaveTimeout().toSeconds() + " s; it learns the change through gossip)");
                pending = null;
            }
        });
        pending = new Leave(result, heir, done, timer);
    }

    /** A ring from {@code src}: if it is our heir and the ring shows it owns what we handed over, the leave is done. */
    void checkAck(PeerName src, Ring received) {
        if (pending != null
                && pending.heir().equals(src)
                && RingGuard.ownershipCovers(received, a.ring, pending.heir())) {
            pending.timer().cancel();
            a.turn.complete(pending.result(), pending.done() + "; " + src + " confirmed");
            pending = null;
        }
    }

    private void dropAllAllocations() {
        for (Map.Entry<ContainerId, List<Cidr>> e : a.allocations.all().entrySet()) {
            for (Cidr c : e.getValue()) {
                a.requests.release(e.getKey(), c.address().value());
            }
        }
    }
}
