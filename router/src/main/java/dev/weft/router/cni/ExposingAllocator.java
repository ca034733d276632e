package dev.weft.router.cni;

import dev.weft.cni.spi.AddressAllocator;
import dev.weft.cni.spi.Allocation;
import dev.weft.cni.spi.AllocationException;
import dev.weft.linux.api.IpPrefix;
import dev.weft.linux.api.KernelException;
import dev.weft.linux.api.Link;
import dev.weft.linux.api.NetNs;
import dev.weft.linux.api.RtNetlink;
import dev.weft.linux.api.Sysctl;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pod addresses from IPAM with this node as their gateway. Before an address is handed out the
 * node makes sure it has one of its own on the bridge: IPAM's address for {@value #IDENT} in the
 * default subnet (taken once, the same one after a restart), as Weave's Kubernetes launch did with
 * {@code weave expose}. The node then reaches its pods and the mesh's (kubelet's probes, portmap's
 * DNAT, kube-proxy's Services), and pods get a default route through it. As the reference
 * {@code bridge} plugin does for a gateway, the bridge's MAC is pinned (so the gateway's MAC does
 * not follow the ports) and IPv4 forwarding is switched on.
 *
 * <p>Thread-safe; every method blocks (IPAM, netlink). The bridge is looked up through a netlink
 * socket opened in the bridge's namespace (the router's own), closed by {@link #close()}.
 */
public final class ExposingAllocator implements AddressAllocator, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ExposingAllocator.class);

    /** The IPAM ident of the node's own address on the bridge. */
    public static final String IDENT = "weft:expose";

    /** The sysctl a gateway needs, in the router's (the calling thread's) namespace. */
    private static final String FORWARDING = "net.ipv4.ip_forward";

    private final AddressAllocator ipam;
    private final String bridge;
    private final RtNetlink netlink;
    private final Optional<NetNs> ns;
    private volatile IpPrefix exposed;

    private ExposingAllocator(AddressAllocator ipam, String bridge, RtNetlink netlink, Optional<NetNs> ns) {
        this.ipam = ipam;
        this.bridge = bridge;
        this.netlink = netlink;
        this.ns = ns;
    }

    /**
     * Opens the allocator (a netlink socket in the bridge's namespace).
     *
     * @param ipam where addresses come from (IPAM's adapter, without a gateway of its own)
     * @param bridge the bridge pods attach to
     * @param bridgeNetns the namespace of the bridge (tests); empty: the router's own
     */
    public static ExposingAllocator open(AddressAllocator ipam, String bridge, Optional<Path> bridgeNetns) {
        if (bridgeNetns.isEmpty()) {
            return new ExposingAllocator(ipam, bridge, RtNetlink.open(), Optional.empty());
        }
        NetNs ns = NetNs.open(bridgeNetns.get());
        try {
            return new ExposingAllocator(ipam, bridge, RtNetlink.open(ns), Optional.of(ns));
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    /**
     * This node's address on the bridge: taken from IPAM first if this allocator has none yet,
     * put on the bridge if it is not there (a restarted or recreated bridge). Idempotent.
     *
     * @throws AllocationException as {@link #allocate}; {@code UNAVAILABLE} when the bridge is missing
     *     or refuses the address
     */
    public synchronized InetAddress expose(Instant deadline) throws AllocationException, InterruptedException {
        IpPrefix own = exposed;
        if (own == null) {
            Allocation a = ipam.allocate(IDENT, Optional.empty(), deadline);
            own = new IpPrefix(a.address(), a.prefixLength());
        }
        try {
            Link b = netlink.links()
                    .find(bridge)
                    .orElseThrow(() -> new AllocationException(
                            AllocationException.Kind.UNAVAILABLE,
                            "bridge " + bridge + " does not exist (is the data plane up?)"));
            InetAddress address = own.address();
            int length = own.length();
            boolean there = netlink.addresses().list(b.index()).stream()
                    .anyMatch(x ->
                            x.prefix().address().equals(address) && x.prefix().length() == length);
            if (!there) {
                // pin the bridge's MAC (set it to itself, as the reference bridge plugin does for a
                // gateway): otherwise Linux gives the bridge its lowest port's MAC, and the pods'
                // gateway would change MAC whenever a pod comes or goes
                if (b.mac() != null) {
                    netlink.links().setMac(bridge, b.mac());
                }
                netlink.addresses().replace(b.index(), own);
                log.info("this node is {} on bridge {} (the pods' gateway, MAC {})", own, bridge, b.mac());
            }
            // a gateway forwards (as the reference bridge plugin's isGateway does): pods' traffic to
            // Services and beyond, and hostPort traffic DNATed to pods
            String forwarding = ns.isPresent() ? Sysctl.get(ns.get(), FORWARDING) : Sysctl.get(FORWARDING);
            if (!forwarding.equals("1")) {
                if (ns.isPresent()) {
                    Sysctl.set(ns.get(), FORWARDING, "1");
                } else {
                    Sysctl.set(FORWARDING, "1");
                }
                log.info("enabled IPv4 forwarding: pods route through this node");
            }
        } catch (KernelException | java.io.UncheckedIOException e) {
            throw new AllocationException(
                    AllocationException.Kind.UNAVAILABLE, "cannot put " + own + " on bridge " + bridge + ": " + e);
        }
        exposed = own;
        return own.address();
    }

    @Override
    public Allocation allocate(String ident, Optional<Subnet> subnet, Instant deadline)
            throws AllocationException, InterruptedException {
        InetAddress gateway = expose(deadline);
        return withGateway(ipam.allocate(ident, subnet, deadline), gateway);
    }

    @Override
    public Allocation claim(String ident, InetAddress address, Instant deadline)
            throws AllocationException, InterruptedException {
        InetAddress gateway = expose(deadline);
        return withGateway(ipam.claim(ident, address, deadline), gateway);
    }

    @Override
    public boolean release(String ident) throws AllocationException {
        return ipam.release(ident);
    }

    @Override
    public Optional<Allocation> lookup(String ident) {
        IpPrefix own = exposed;
        return ipam.lookup(ident).map(a -> own == null ? a : withGateway(a, own.address()));
    }

    @Override
    public Optional<String> unavailableReason() {
        return ipam.unavailableReason();
    }

    private static Allocation withGateway(Allocation a, InetAddress gateway) {
        return new Allocation(a.address(), a.prefixLength(), Optional.of(gateway));
    }

    @Override
    public void close() {
        netlink.close();
        ns.ifPresent(NetNs::close);
    }
}
