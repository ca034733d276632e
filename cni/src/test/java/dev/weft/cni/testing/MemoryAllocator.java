package dev.weft.cni.testing;

import dev.weft.cni.spi.AddressAllocator;
import dev.weft.cni.spi.Allocation;
import dev.weft.cni.spi.AllocationException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A simple, thread-safe, in-memory {@link AddressAllocator} over one IPv4 range, for the CNI
 * module's own tests (the router wires the real IPAM). Addresses are handed out in order from
 * the first after the gateway; released ones are reused. Counts calls so tests can assert that
 * IPAM was (or was not) consulted.
 */
public final class MemoryAllocator implements AddressAllocator {
    private final int network;
    private final int prefixLength;
    private final int size;
    private final Optional<InetAddress> gateway;
    private final Map<String, Integer> owned = new HashMap<>();
    private final Map<Integer, String> owners = new HashMap<>();
    private volatile String unavailable;
    private final Map<String, String> releaseFailures = new HashMap<>();
    private final AtomicInteger allocations = new AtomicInteger();
    private final AtomicInteger releases = new AtomicInteger();

    /**
     * @param cidr the range, e.g. {@code "10.32.0.0/24"}; its first host address is the gateway
     * @param withGateway whether pods get a default route via the first host address
     */
    public MemoryAllocator(String cidr, boolean withGateway) {
        String[] parts = cidr.split("/");
        this.network = toInt(parse(parts[0]));
        this.prefixLength = Integer.parseInt(parts[1]);
        this.size = 1 << (32 - prefixLength);
        this.gateway = withGateway ? Optional.of(toAddress(network + 1)) : Optional.empty();
    }

    /** Makes IPAM unavailable (reason non-null) or available again (null). */
    public void setUnavailable(String reason) {
        this.unavailable = reason;
    }

    /** Makes {@code release(ident)} fail with {@code reason} (non-null), or work again (null). */
    public synchronized void failRelease(String ident, String reason) {
        if (reason == null) {
            releaseFailures.remove(ident);
        } else {
            releaseFailures.put(ident, reason);
        }
    }

    /** How many allocate/claim calls succeeded. */
    public int allocations() {
        return allocations.get();
    }

    /** How many release calls released something. */
    public int releases() {
        return releases.get();
    }

    /** How many addresses are owned right now. */
    public synchronized int inUse() {
        return owned.size();
    }

    /** The ident owning {@code address}, if any. */
    public synchronized Optional<String> owner(InetAddress address) {
        return Optional.ofNullable(owners.get(toInt(address)));
    }

    @Override
    public synchronized Allocation allocate(String ident, Optional<Subnet> subnet, Instant deadline)
            throws AllocationException {
        checkAvailable();
        Integer have = owned.get(ident);
        if (have != null) {
            return allocation(have);
        }
        if (subnet.isPresent()) {
            throw new AllocationException(AllocationException.Kind.INVALID, "subnets are not supported here");
        }
        for (int i = 2; i < size - 1; i++) {
            int candidate = network + i;
            if (!owners.containsKey(candidate)) {
                take(ident, candidate);
                return allocation(candidate);
            }
        }
        throw new AllocationException(AllocationException.Kind.EXHAUSTED, "range " + this + " is full");
    }

    @Override
    public synchronized Allocation claim(String ident, InetAddress address, Instant deadline)
            throws AllocationException {
        checkAvailable();
        int a = toInt(address);
        if (a < network + 2 || a >= network + size - 1) {
            throw new AllocationException(
                    AllocationException.Kind.INVALID, address.getHostAddress() + " is outside the range");
        }
        String owner = owners.get(a);
        if (owner != null && !owner.equals(ident)) {
            throw new AllocationException(
                    AllocationException.Kind.CONFLICT, address.getHostAddress() + " is owned by " + owner);
        }
        if (owner == null) {
            Integer previous = owned.remove(ident);
            if (previous != null) {
                owners.remove(previous);
            }
            take(ident, a);
        }
        return allocation(a);
    }

    @Override
    public synchronized boolean release(String ident) throws AllocationException {
        checkAvailable();
        String failure = releaseFailures.get(ident);
        if (failure != null) {
            throw new AllocationException(AllocationException.Kind.UNAVAILABLE, failure);
        }
        Integer a = owned.remove(ident);
        if (a == null) {
            return false;
        }
        owners.remove(a);
        releases.incrementAndGet();
        return true;
    }

    @Override
    public synchronized Optional<Allocation> lookup(String ident) {
        Integer a = owned.get(ident);
        return a == null ? Optional.empty() : Optional.of(allocation(a));
    }

    @Override
    public synchronized Optional<String> unavailableReason() {
        if (unavailable != null) {
            return Optional.of(unavailable);
        }
        return owned.size() >= size - 3 ? Optional.of("range " + this + " is full") : Optional.empty();
    }

    private void checkAvailable() throws AllocationException {
        if (unavailable != null) {
            throw new AllocationException(AllocationException.Kind.UNAVAILABLE, unavailable);
        }
    }

    private void take(String ident, int address) {
        owned.put(ident, address);
        owners.put(address, ident);
        allocations.incrementAndGet();
    }

    private Allocation allocation(int address) {
        return new Allocation(toAddress(address), prefixLength, gateway);
    }

    @Override
    public String toString() {
        return toAddress(network).getHostAddress() + "/" + prefixLength;
    }

    private static InetAddress parse(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    private static int toInt(InetAddress a) {
        byte[] b = a.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    private static InetAddress toAddress(int v) {
        try {
            return InetAddress.getByAddress(
                    new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
