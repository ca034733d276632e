package dev.weft.ipam.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * IP address management on one router: the door other modules use (the router's HTTP API, the
 * CNI allocator, {@code weft attach}).
 *
 * <p><b>Threads.</b> Every method may be called from any thread, never blocks and returns at once;
 * the work runs on the IPAM actor. Futures complete on an IPAM thread: keep continuations short or
 * hop to your own executor.
 *
 * <p><b>Durability.</b> A future that completes normally reports a change that is already on disk
 * (fsync'ed): a crash right after, even {@code kill -9}, does not lose it.
 *
 * <p><b>Failures.</b> Futures fail with {@link IpamException}; its {@link IpamException.Kind} says
 * whether the request was bad (400), unknown (404), conflicting (409) or timed out / unavailable
 * (503), and its message says why, including what a waiting request was waiting for.
 */
public interface Ipam {

    /**
     * Allocates an address for {@code id} in {@code subnet} (or the default subnet): the lowest free
     * address this peer owns there, asking peers for space when it owns none. Idempotent: if
     * {@code id} already has an address in that subnet, that address is returned again.
     *
     * @param subnet empty for the default subnet; else a subnet inside the range
     * @param timeout how long the request may wait (for the ring to be seeded, or for space from a
     *     peer); at most 10 minutes. On expiry the future fails with TIMEOUT saying what it waited for.
     * @return the address with the subnet's prefix length, e.g. {@code 10.32.0.1/12}
     */
    CompletableFuture<Cidr> allocate(ContainerId id, Optional<Cidr> subnet, Duration timeout);

    /**
     * Records that {@code id} holds {@code address} (e.g. after a restart that lost the record).
     * Idempotent for the same id. If another peer owns the address, asks it for that address and
     * waits up to {@code timeout}. An address outside the range is only recorded.
     *
     * @param address the address with its subnet's prefix length, e.g. {@code 10.32.0.7/12}
     * @throws IpamException CONFLICT (through the future) if another id holds the address
     */
    CompletableFuture<Cidr> claim(ContainerId id, Cidr address, Duration timeout);

    /** The addresses {@code id} holds, in address order; empty if none. */
    CompletableFuture<List<Cidr>> lookup(ContainerId id);

    /** Every container with addresses on this peer, in id order. */
    CompletableFuture<Map<ContainerId, List<Cidr>>> owned();

    /**
     * Frees every address of {@code id}. Idempotent: freeing an unknown id returns an empty list.
     *
     * @return what was freed
     */
    CompletableFuture<List<Cidr>> free(ContainerId id);

    /**
     * Frees one address of {@code id}.
     *
     * @return true if it was held by {@code id} and is now free; false if {@code id} did not hold it
     */
    CompletableFuture<Boolean> free(ContainerId id, Address address);

    /**
     * This peer's view of the ring. Waits up to {@code timeout} for the ring to exist, which starts
     * consensus if needed (like Weave's {@code GET /ring}).
     */
    CompletableFuture<RingView> ring(Duration timeout);

    /**
     * Leaves the ring gracefully: hands every range this peer owns to a live heir, waits for the heir
     * to confirm (up to the configured leave timeout), then serves nothing more. Refused with
     * CONFLICT while addresses are allocated here, unless {@code force} (their containers must be
     * gone, or the heir may hand their addresses out again).
     *
     * @return a human sentence naming the heir and how many addresses it received
     */
    CompletableFuture<String> leave(boolean force);

    /**
     * Removes a dead peer (rmpeer): marks it removed in the ring; each of its ranges then goes to a
     * deterministic heir, the owner of the range just below it, so any number of peers may run this
     * for the same dead peer and all agree on one owner per range. Refused (CONFLICT) if the peer is
     * reachable, or is this peer.
     *
     * <p>If every other range also belongs to removed peers, there is no live neighbour to inherit
     * and the request is refused unless {@code takeAll}: then this peer takes everything, which must
     * be done on exactly one peer.
     *
     * @param peer the dead peer's name (or its nickname if unique)
     * @return a human sentence: addresses affected and who inherits them
     */
    CompletableFuture<String> removePeer(String peer, boolean takeAll);

    /** What IPAM is doing and what an operator should do about it. */
    CompletableFuture<IpamStatus> status();

    /** The configured universe. */
    Cidr range();

    /** The configured default subnet. */
    Cidr defaultSubnet();
}
