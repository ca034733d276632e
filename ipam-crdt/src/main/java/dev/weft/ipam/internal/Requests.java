package dev.weft.ipam.internal;

import dev.weft.gossip.api.PeerName;
import dev.weft.ipam.api.Address;
import dev.weft.ipam.api.Cidr;
import dev.weft.ipam.api.ContainerId;
import dev.weft.ipam.api.IpamConfig;
import dev.weft.ipam.api.IpamException;
import dev.weft.ipam.api.RingView;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The callers' requests: allocation by container id (lowest free address in space this peer owns),
 * claims of a given address, lookups and frees; requests that cannot be served yet wait, with the
 * caller's deadline, and are retried whenever something they wait for may have changed.
 *
 * <p>Actor thread only.
 */
final class Requests {

    /** Denials of a single claimed address before the claim fails (Weave gave up after 5 tries). */
    static final int CLAIM_DENIALS = 3;

    /** Longest a caller may wait for an allocation, claim or the ring. */
    static final Duration MAX_WAIT = Duration.ofMinutes(10);

    private final Allocator a;
    final ArrayDeque<Waiting.Allocate> waitingAllocations = new ArrayDeque<>();
    final List<Waiting.Claim> waitingClaims = new ArrayList<>();
    final List<Waiting.RingRequest> waitingRing = new ArrayList<>();

    Requests(Allocator a) {
        this.a = a;
    }

    void allocate(ContainerId id, Cidr subnet, Duration timeout, CompletableFuture<Cidr> result) {
        Cidr s = subnet == null ? a.config.defaultSubnet() : subnet;
        if (!s.isSubnet() || !a.config.range().contains(s) || s.prefixLength() > IpamConfig.MAX_RANGE_PREFIX) {
            a.turn.fail(
                    result,
                    IpamException.badRequest("subnet " + s + " must be a subnet (no host bits) inside the range "
                            + a.config.range() + ", /" + IpamConfig.MAX_RANGE_PREFIX + " or bigger"));
            return;
        }
        if (refuseWhenUnavailable(result)) {
            return;
        }
        Cidr have = a.allocations.inSubnet(id, s);
        if (have != null) {
            a.turn.complete(result, have);
            return;
        }
        Waiting.Allocate w = new Waiting.Allocate(id, s, result);
        if (waitingAllocations.isEmpty() && tryAllocate(w)) {
            return;
        }
        waitingAllocations.add(w);
        arm(w, timeout);
        a.seeding.needRing();
        a.space.askForSpaceIfNeeded();
    }

    void claim(ContainerId id, Cidr address, Duration timeout, CompletableFuture<Cidr> result) {
        if (refuseWhenUnavailable(result)) {
            return;
        }
        long addr = address.address().value();
        boolean inside = a.config.range().contains(addr);
        if (inside && address.prefixLength() < a.config.range().prefixLength()) {
            a.turn.fail(
                    result,
                    IpamException.badRequest("claim of " + address + ": its subnet " + address.subnet()
                            + " is bigger than the range " + a.config.range()));
            return;
        }
        Waiting.Claim w = new Waiting.Claim(id, address, result);
        if (tryClaim(w)) {
            return;
        }
        waitingClaims.add(w);
        arm(w, timeout);
        a.seeding.needRing();
    }

    void lookup(ContainerId id, CompletableFuture<List<Cidr>> result) {
        a.turn.complete(result, a.allocations.of(id));
    }

    void owned(CompletableFuture<Map<ContainerId, List<Cidr>>> result) {
        a.turn.complete(result, a.allocations.all());
    }

    void free(ContainerId id, CompletableFuture<List<Cidr>> result) {
        List<Cidr> had = a.allocations.of(id);
        for (Cidr c : had) {
            release(id, c.address().value());
        }
        a.turn.complete(result, had);
        if (!had.isEmpty()) {
            retryWaiting();
        }
    }

    void free(ContainerId id, Address address, CompletableFuture<Boolean> result) {
        boolean freed = release(id, address.value());
        a.turn.complete(result, freed);
        if (freed) {
            retryWaiting();
        }
    }

    /** Removes {@code id}'s record of {@code addr}; true if there was one. */
    boolean release(ContainerId id, long addr) {
        Cidr removed = a.allocations.remove(id, addr);
        if (removed == null) {
            return false;
        }
        a.turn.record(new OwnershipChange(id, removed, false));
        return true;
    }

    void ring(Duration timeout, CompletableFuture<RingView> result) {
        if (!a.ring.isEmpty()) {
            a.turn.complete(result, StatusReport.view(a));
            return;
        }
        if (refuseWhenUnavailable(result)) {
            return;
        }
        Waiting.RingRequest w = new Waiting.RingRequest(result);
        waitingRing.add(w);
        arm(w, timeout);
        a.seeding.needRing();
    }

    private boolean refuseWhenUnavailable(CompletableFuture<?> result) {
        String why = a.unavailableReason();
        if (why != null) {
            a.turn.fail(result, IpamException.unavailable(why));
            return true;
        }
        return false;
    }

    /** True when this peer may hand out addresses from the space it owns. */
    boolean canAllocate() {
        return !a.ring.isEmpty() && !a.relearning.active() && a.unavailableReason() == null;
    }

    private boolean tryAllocate(Waiting.Allocate w) {
        Cidr have = a.allocations.inSubnet(w.id, w.subnet);
        if (have != null) {
            a.turn.complete(w.result, have);
            return true;
        }
        if (!canAllocate()) {
            return false;
        }
        long addr = lowestFreeOwned(w.subnet.hostStart(), w.subnet.hostEnd());
        if (addr < 0) {
            return false;
        }
        Cidr c = new Cidr(new Address(addr), w.subnet.prefixLength());
        a.allocations.add(w.id, c);
        a.turn.record(new OwnershipChange(w.id, c, true));
        a.turn.complete(w.result, c);
        return true;
    }

    private long lowestFreeOwned(long from, long to) {
        Ring ring = a.ring;
        int k = ring.indexOf(from);
        if (k < 0) {
            return -1;
        }
        for (; k < ring.size() && ring.entry(k).token() < to; k++) {
            if (ring.entry(k).owner().equals(a.me)) {
                long addr =
                        a.allocations.lowestFree(Math.max(from, ring.entry(k).token()), Math.min(to, ring.rangeEnd(k)));
                if (addr >= 0) {
                    return addr;
                }
            }
        }
        return -1;
    }

    private boolean tryClaim(Waiting.Claim w) {
        long addr = w.address.address().value();
        ContainerId holder = a.allocations.holder(addr);
        if (holder != null) {
            if (holder.equals(w.id)) {
                a.turn.complete(
                        w.result,
                        a.allocations.of(w.id).stream()
                                .filter(c -> c.address().value() == addr)
                                .findFirst()
                                .orElse(w.address));
            } else {
                a.turn.fail(w.result, IpamException.conflict(w.address.address() + " is held by container " + holder));
            }
            return true;
        }
        if (!a.config.range().contains(addr)) {
            record(w);
            return true;
        }
        if (!canAllocate()) {
            return false;
        }
        PeerName owner = a.ring.ownerOf(addr);
        if (owner.equals(a.me)) {
            record(w);
            return true;
        }
        if (a.ring.isRemoved(owner) || !a.mesh.isReachable(owner)) {
            return false;
        }
        long now = a.nanos();
        if (!owner.equals(w.askedOwner)
                || now - w.askedAt >= a.config.retryInterval().toNanos()) {
            w.askedOwner = owner;
            w.askedAt = now;
            a.turn.send(owner, new IpamMessage.SpaceRequest(addr, addr + 1));
        }
        return false;
    }

    private void record(Waiting.Claim w) {
        a.allocations.add(w.id, w.address);
        a.turn.record(new OwnershipChange(w.id, w.address, true));
        a.turn.complete(w.result, w.address);
    }

    /** The owner of a claimed address refused it: after {@value #CLAIM_DENIALS} denials the claim fails. */
    void claimDenied(PeerName src, long address) {
        for (Iterator<Waiting.Claim> it = waitingClaims.iterator(); it.hasNext(); ) {
            Waiting.Claim c = it.next();
            if (c.address.address().value() == address && src.equals(c.askedOwner) && ++c.denials >= CLAIM_DENIALS) {
                it.remove();
                c.cancelTimer();
                a.turn.fail(
                        c.result,
                        IpamException.conflict("peer " + src + " owns " + c.address.address()
                                + " and will not give it up (it is in use there)"));
            }
        }
    }

    private void arm(Waiting w, Duration timeout) {
        Duration d = timeout == null || timeout.isNegative() || timeout.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : timeout;
        w.timer = a.turn.after(d, () -> expire(w));
    }

    private void expire(Waiting w) {
        boolean removed =
                switch (w) {
                    case Waiting.Allocate al -> waitingAllocations.remove(al);
                    case Waiting.Claim c -> waitingClaims.remove(c);
                    case Waiting.RingRequest r -> waitingRing.remove(r);
                };
        if (removed) {
            a.turn.fail(w.future, IpamException.timeout("gave up waiting: " + StatusReport.waitReason(a, w)));
        }
    }

    /** Retries everything that waits, in order: ring requests, claims, allocations. */
    void retryWaiting() {
        if (!a.ring.isEmpty()) {
            for (Waiting.RingRequest r : waitingRing) {
                r.cancelTimer();
                a.turn.complete(r.result, StatusReport.view(a));
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
            Waiting.Allocate w = waitingAllocations.peek();
            if (!tryAllocate(w)) {
                break;
            }
            w.cancelTimer();
            waitingAllocations.poll();
        }
        // Later allocations in other subnets need not wait behind one that is stuck.
        for (Iterator<Waiting.Allocate> it = waitingAllocations.iterator(); it.hasNext(); ) {
            Waiting.Allocate w = it.next();
            if (tryAllocate(w)) {
                w.cancelTimer();
                it.remove();
            }
        }
        a.space.askForSpaceIfNeeded();
    }

    /** Fails every waiting request with {@code e} (this peer stops serving). */
    void failAllWaiting(IpamException e) {
        for (Waiting w : allWaiting()) {
            w.cancelTimer();
            a.turn.fail(w.future, e);
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
}
