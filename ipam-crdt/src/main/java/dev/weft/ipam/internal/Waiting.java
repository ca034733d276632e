package dev.weft.ipam.internal;

import dev.weft.gossip.api.Cancellable;
import dev.weft.gossip.api.PeerName;
import dev.weft.ipam.api.Cidr;
import dev.weft.ipam.api.ContainerId;
import dev.weft.ipam.api.RingView;
import java.util.concurrent.CompletableFuture;

/** A request that waits (for the ring, for space, for an address's owner), with its deadline timer. */
abstract sealed class Waiting permits Waiting.Allocate, Waiting.Claim, Waiting.RingRequest {

    final CompletableFuture<?> future;
    Cancellable timer;

    Waiting(CompletableFuture<?> future) {
        this.future = future;
    }

    void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    /** An allocation waiting for the ring or for space in {@code subnet}. */
    static final class Allocate extends Waiting {
        final ContainerId id;
        final Cidr subnet;
        final CompletableFuture<Cidr> result;

        Allocate(ContainerId id, Cidr subnet, CompletableFuture<Cidr> result) {
            super(result);
            this.id = id;
            this.subnet = subnet;
            this.result = result;
        }
    }

    /** A claim of {@code address} waiting for the ring or for its owner to give it. */
    static final class Claim extends Waiting {
        final ContainerId id;
        final Cidr address;
        final CompletableFuture<Cidr> result;
        PeerName askedOwner;
        long askedAt;
        int denials;

        Claim(ContainerId id, Cidr address, CompletableFuture<Cidr> result) {
            super(result);
            this.id = id;
            this.address = address;
            this.result = result;
        }
    }

    /** A request for the ring itself (GET /ring), waiting for seeding. */
    static final class RingRequest extends Waiting {
        final CompletableFuture<RingView> result;

        RingRequest(CompletableFuture<RingView> result) {
            super(result);
            this.result = result;
        }
    }
}
