package dev.weft.cni.internal.server;

import dev.weft.cni.internal.spec.CniErrorCode;
import dev.weft.cni.internal.spec.CniException;
import dev.weft.cni.internal.spec.CniRequest;
import dev.weft.cni.internal.spec.IpPrefix;
import dev.weft.cni.internal.spec.Ipam;
import dev.weft.cni.internal.spec.Result;
import dev.weft.cni.spi.AddressAllocator;
import dev.weft.cni.spi.Allocation;
import dev.weft.cni.spi.AllocationException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The addresses, routes and DNS an attachment gets, from Weft's IPAM or from a delegate; and how
 * to give them back.
 *
 * @param ips the addresses, without interface index
 * @param routes routes to add in the pod, gateways filled in
 * @param dns what the IPAM side said about DNS
 * @param weftAddress the address when Weft's IPAM gave it
 */
record AddressGrant(
        List<Result.IpConfig> ips,
        List<Result.Route> routes,
        Optional<Result.Dns> dns,
        Optional<IpPrefix> weftAddress) {

    private static final IpPrefix DEFAULT_V4 = IpPrefix.parse("0.0.0.0/0");
    private static final IpPrefix DEFAULT_V6 = IpPrefix.parse("::/0");
    /** RT_SCOPE_LINK: a route to a gateway outside the pod's subnet. */
    private static final int SCOPE_LINK = 253;

    /** Gets addresses for the request's attachment; the caller must {@link #release} on failure. */
    static AddressGrant acquire(NodeContext node, CniRequest req, StringBuilder stderr) throws CniException {
        Ipam ipam = req.config().ipam();
        if (ipam instanceof Ipam.Delegate d) {
            var out = node.delegates()
                    .run(d.type(), req.command(), req, stderr)
                    .orElseThrow(() -> new CniException(
                            CniErrorCode.DELEGATE_FAILED, "delegated IPAM plugin " + d.type() + " printed no result"));
            Result r = ResultReader.read(out, "result of " + d.type());
            if (r.ips().isEmpty()) {
                release(node, req, stderr);
                throw new CniException(
                        CniErrorCode.DELEGATE_FAILED, "delegated IPAM plugin " + d.type() + " returned no addresses");
            }
            List<Result.Route> routes = new ArrayList<>();
            for (Result.Route route : r.routes()) {
                routes.add(route.gw().isPresent() ? route : withGateway(route, r.ips()));
            }
            return new AddressGrant(r.ips(), routes, r.dns(), Optional.empty());
        }
        Ipam.Weft weft = (Ipam.Weft) ipam;
        String ident = Idents.ipamIdent(req.attachment());
        Instant deadline = node.clock().instant().plus(node.allocationTimeout());
        AddressAllocator allocator = node.allocator();
        Allocation a;
        try {
            Optional<InetAddress> wanted = req.config().requestedAddress();
            if (wanted.isPresent()) {
                a = allocator.claim(ident, wanted.get(), deadline);
            } else {
                a = allocator.allocate(
                        ident,
                        weft.subnet()
                                .map(s ->
                                        new AddressAllocator.Subnet(s.network().address(), s.length())),
                        deadline);
            }
        } catch (AllocationException e) {
            throw translate(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CniException(CniErrorCode.TRY_AGAIN_LATER, "interrupted while allocating an address");
        }
        IpPrefix address = new IpPrefix(a.address(), a.prefixLength());
        List<Result.Route> routes = new ArrayList<>();
        a.gateway().ifPresent(gw -> {
            IpPrefix host = new IpPrefix(gw, gw instanceof Inet4Address ? 32 : 128);
            if (!address.contains(gw)) {
                // the gateway is outside the pod network: reach it on-link first (as Weave did)
                routes.add(new Result.Route(
                        host,
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of(SCOPE_LINK)));
            }
            routes.add(Result.Route.via(gw instanceof Inet4Address ? DEFAULT_V4 : DEFAULT_V6, Optional.of(gw)));
        });
        return new AddressGrant(
                List.of(new Result.IpConfig(address, a.gateway(), Optional.empty())),
                routes,
                Optional.empty(),
                Optional.of(address));
    }

    /** Gives the request's addresses back. Idempotent. */
    static void release(NodeContext node, CniRequest req, StringBuilder stderr) throws CniException {
        release(node, req.config().ipam(), Idents.ipamIdent(req.attachment()), req, stderr);
    }

    /** Gives addresses back for an attachment described by its IPAM, ident and a request to delegate with. */
    static void release(NodeContext node, Ipam ipam, String ident, CniRequest req, StringBuilder stderr)
            throws CniException {
        if (ipam instanceof Ipam.Delegate d) {
            node.delegates().run(d.type(), dev.weft.cni.internal.spec.CniCommand.DEL, req, stderr);
            return;
        }
        try {
            node.allocator().release(ident);
        } catch (AllocationException e) {
            throw translate(e);
        }
    }

    static CniException translate(AllocationException e) {
        return switch (e.kind()) {
            case TIMEOUT, UNAVAILABLE ->
                new CniException(CniErrorCode.TRY_AGAIN_LATER, "IPAM: " + e.getMessage() + "; try again later");
            case EXHAUSTED, CONFLICT -> new CniException(CniErrorCode.ADDRESS_UNAVAILABLE, "IPAM: " + e.getMessage());
            case INVALID -> new CniException(CniErrorCode.INVALID_NETWORK_CONFIG, "IPAM: " + e.getMessage());
        };
    }

    private static Result.Route withGateway(Result.Route route, List<Result.IpConfig> ips) {
        for (Result.IpConfig ip : ips) {
            if (ip.address().isV4() == route.dst().isV4() && ip.gateway().isPresent()) {
                return new Result.Route(
                        route.dst(),
                        ip.gateway(),
                        route.mtu(),
                        route.advmss(),
                        route.priority(),
                        route.table(),
                        route.scope());
            }
        }
        return route;
    }
}
