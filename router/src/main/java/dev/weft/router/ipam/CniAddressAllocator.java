package dev.weft.router.ipam;

import dev.weft.cni.spi.AddressAllocator;
import dev.weft.cni.spi.Allocation;
import dev.weft.cni.spi.AllocationException;
import dev.weft.ipam.api.Address;
import dev.weft.ipam.api.Cidr;
import dev.weft.ipam.api.ContainerId;
import dev.weft.ipam.api.Ipam;
import dev.weft.ipam.api.IpamException;
import dev.weft.ipam.api.IpamStatus;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The CNI plugin's {@link AddressAllocator} over IPAM: blocking calls with the CNI deadline. */
public final class CniAddressAllocator implements AddressAllocator {

    /** How long lookup and status may wait for the IPAM actor (they are local reads). */
    static final Duration LOCAL = Duration.ofSeconds(2);

    private final Ipam ipam;
    private final InstantSource clock;
    private final Optional<InetAddress> gateway;

    /**
     * @param gateway the bridge's address that pods route through, if any
     */
    public CniAddressAllocator(Ipam ipam, InstantSource clock, Optional<InetAddress> gateway) {
        this.ipam = ipam;
        this.clock = clock;
        this.gateway = gateway;
    }

    @Override
    public Allocation allocate(String ident, Optional<Subnet> subnet, Instant deadline)
            throws AllocationException, InterruptedException {
        ContainerId id = id(ident);
        Optional<Cidr> s;
        try {
            s = subnet.map(x -> new Cidr(address(x.network()), x.prefixLength()));
        } catch (IpamException e) {
            throw new AllocationException(AllocationException.Kind.INVALID, e.getMessage());
        }
        if (s.isPresent() && !s.get().isSubnet()) {
            throw new AllocationException(AllocationException.Kind.INVALID, s.get() + " is not a subnet");
        }
        Duration left = left(deadline);
        return allocation(await(ipam.allocate(id, s, left), left.plusSeconds(1)));
    }

    @Override
    public Allocation claim(String ident, InetAddress address, Instant deadline)
            throws AllocationException, InterruptedException {
        Address a;
        try {
            a = address(address);
        } catch (IpamException e) {
            throw new AllocationException(AllocationException.Kind.INVALID, e.getMessage());
        }
        Cidr in = ipam.range().contains(a.value())
                ? new Cidr(
                        a,
                        ipam.defaultSubnet().contains(a.value())
                                ? ipam.defaultSubnet().prefixLength()
                                : ipam.range().prefixLength())
                : new Cidr(a, 32);
        Duration left = left(deadline);
        return allocation(await(ipam.claim(id(ident), in, left), left.plusSeconds(1)));
    }

    @Override
    public boolean release(String ident) throws AllocationException {
        try {
            return !await(ipam.free(id(ident)), Duration.ofSeconds(30)).isEmpty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AllocationException(AllocationException.Kind.UNAVAILABLE, "interrupted");
        }
    }

    @Override
    public Optional<Allocation> lookup(String ident) {
        try {
            List<Cidr> l = await(ipam.lookup(id(ident)), LOCAL);
            return l.isEmpty() ? Optional.empty() : Optional.of(allocation(l.getFirst()));
        } catch (AllocationException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    @Override
    public Optional<String> unavailableReason() {
        try {
            IpamStatus s = await(ipam.status(), LOCAL);
            return s.state() == IpamStatus.State.READY || s.state() == IpamStatus.State.IDLE
                    ? Optional.empty()
                    : Optional.of(s.summary());
        } catch (AllocationException e) {
            return Optional.of(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    private Duration left(Instant deadline) throws AllocationException {
        Duration d = Duration.between(clock.instant(), deadline);
        if (d.isNegative() || d.isZero()) {
            throw new AllocationException(AllocationException.Kind.TIMEOUT, "the deadline has passed");
        }
        return d;
    }

    private static ContainerId id(String ident) throws AllocationException {
        try {
            return ContainerId.of(ident);
        } catch (IpamException e) {
            throw new AllocationException(AllocationException.Kind.INVALID, e.getMessage());
        }
    }

    private static Address address(InetAddress a) {
        if (!(a instanceof Inet4Address)) {
            throw IpamException.badRequest("IPAM allocates IPv4 only, got " + a.getHostAddress());
        }
        byte[] b = a.getAddress();
        return new Address(((b[0] & 0xffL) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff));
    }

    private Allocation allocation(Cidr c) {
        try {
            long v = c.address().value();
            InetAddress a = InetAddress.getByAddress(
                    new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
            return new Allocation(a, c.prefixLength(), gateway);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T await(CompletableFuture<T> f, Duration limit)
            throws AllocationException, InterruptedException {
        try {
            return f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AllocationException(AllocationException.Kind.TIMEOUT, "IPAM did not answer within " + limit);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IpamException ie) {
                throw new AllocationException(kind(ie), ie.getMessage());
            }
            throw new AllocationException(AllocationException.Kind.UNAVAILABLE, String.valueOf(e.getCause()));
        } catch (IpamException e) {
            throw new AllocationException(kind(e), e.getMessage());
        }
    }

    private static AllocationException.Kind kind(IpamException e) {
        return switch (e.kind()) {
            case BAD_REQUEST, NOT_FOUND -> AllocationException.Kind.INVALID;
            case CONFLICT -> AllocationException.Kind.CONFLICT;
            case TIMEOUT ->
                e.getMessage().contains("may be full")
                        ? AllocationException.Kind.EXHAUSTED
                        : AllocationException.Kind.TIMEOUT;
            case UNAVAILABLE -> AllocationException.Kind.UNAVAILABLE;
        };
    }
}
