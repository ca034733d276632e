package dev.weft.cni.spi;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Optional;

/**
 * What the CNI plugin needs from IPAM; the router implements it over the IPAM module.
 *
 * <p>Addresses are owned by an <em>ident</em>: the container ID for a pod's {@code eth0}, and
 * {@code <containerID>:<ifname>} for any other interface of the same pod, so that one pod may
 * have several Weft interfaces and {@code eth0} stays findable by container ID alone.
 *
 * <p>Called from many threads at once (one per CNI request, different idents in parallel); the
 * plugin never calls two methods for the same ident concurrently. Implementations must be
 * thread-safe and must persist an allocation before returning it (a restarted router must not
 * hand the address out again).
 */
public interface AddressAllocator {

    /**
     * Allocates an address for {@code ident}, or returns the one it already has. Blocks until an
     * address is available or {@code deadline} passes (IPAM may have to ask peers for space).
     * Idempotent per ident.
     *
     * @param subnet allocate inside this subnet (empty: the default one)
     * @throws AllocationException TIMEOUT when no address came before the deadline, EXHAUSTED when
     *     the range is full, INVALID for a subnet outside the range, UNAVAILABLE when IPAM is not
     *     ready
     */
    Allocation allocate(String ident, Optional<Subnet> subnet, Instant deadline)
            throws AllocationException, InterruptedException;

    /**
     * Records that {@code ident} owns {@code address} (a static or requested address). Blocks up
     * to {@code deadline}. Idempotent when the ident already owns it.
     *
     * @throws AllocationException CONFLICT when another ident owns it, INVALID when it lies outside
     *     the range, TIMEOUT or UNAVAILABLE as for allocate
     */
    Allocation claim(String ident, InetAddress address, Instant deadline)
            throws AllocationException, InterruptedException;

    /**
     * Releases every address {@code ident} owns. Idempotent: releasing an unknown ident returns
     * false and is not an error. Blocks only for local persistence.
     *
     * @return true if something was released
     */
    boolean release(String ident) throws AllocationException;

    /** The address {@code ident} owns, if any. Non-blocking (local state). */
    Optional<Allocation> lookup(String ident);

    /**
     * Whether an ADD could get an address now: empty when ready, else the reason (for STATUS).
     * Non-blocking.
     */
    Optional<String> unavailableReason();

    /** A subnet to allocate in, as written in the plugin config ({@code ipam.subnet}). */
    record Subnet(InetAddress network, int prefixLength) {}
}
