package dev.weft.cni.internal.plumbing;

import dev.weft.cni.internal.spec.CniErrorCode;
import dev.weft.cni.internal.spec.CniException;
import dev.weft.cni.internal.spec.IpPrefix;
import dev.weft.cni.internal.spec.Result;
import dev.weft.cni.spi.PodPorts;
import dev.weft.linux.api.Address;
import dev.weft.linux.api.Errno;
import dev.weft.linux.api.KernelException;
import dev.weft.linux.api.Link;
import dev.weft.linux.api.LinkSpec;
import dev.weft.linux.api.MacAddress;
import dev.weft.linux.api.NetNs;
import dev.weft.linux.api.Route;
import dev.weft.linux.api.RtNetlink;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link PodPlumbing} over the {@code linux} module: one rtnetlink socket in the host namespace
 * (where the bridge is) for the life of the plumbing, and per request a handle on the pod's netns
 * with a socket created inside it. The veth pair is created from the host side with its peer
 * placed directly in the pod's netns under its final name ({@code CNI_IFNAME}), so no
 * intermediate name ever appears in the pod.
 */
public final class NetlinkPodPlumbing implements PodPlumbing, AutoCloseable {
    /** RTM_SETLINK (linux/rtnetlink.h). */
    private static final int RTM_SETLINK = 19;
    /** IFLA_PROTINFO (linux/if_link.h): bridge port settings when the family is AF_BRIDGE. */
    private static final int IFLA_PROTINFO = 12;
    /** IFLA_BRPORT_MODE (linux/if_link.h): hairpin mode of a bridge port. */
    private static final int IFLA_BRPORT_MODE = 4;
    /** AF_BRIDGE (linux/socket.h). */
    private static final int AF_BRIDGE = 7;
    /** IFLA_AF_SPEC (linux/if_link.h): per address family settings of a link. */
    private static final int IFLA_AF_SPEC = 26;
    /** AF_INET (linux/socket.h). */
    private static final int AF_INET = 2;
    /** IFLA_INET_CONF (linux/if_link.h): the link's IPv4 devconf, one attribute per IPV4_DEVCONF_*. */
    private static final int IFLA_INET_CONF = 1;
    /** IPV4_DEVCONF_ARP_NOTIFY (linux/ip.h): net.ipv4.conf.IF.arp_notify. */
    private static final int IPV4_DEVCONF_ARP_NOTIFY = 22;
    /** RT_SCOPE_LINK (linux/rtnetlink.h). */
    private static final int SCOPE_LINK = 253;

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(NetlinkPodPlumbing.class);

    private final RtNetlink host;
    private final Optional<NetNs> hostNs;
    private final PodPorts ports;

    private NetlinkPodPlumbing(RtNetlink host, Optional<NetNs> hostNs, PodPorts ports) {
        this.host = host;
        this.hostNs = hostNs;
        this.ports = ports;
    }

    /**
     * Plumbing whose host side is {@code hostNetns}, or the calling thread's namespace when empty,
     * with every host end on the bridge. Blocks to open the socket.
     */
    public static NetlinkPodPlumbing open(Optional<Path> hostNetns) {
        return open(hostNetns, PodPorts.BRIDGE);
    }

    /**
     * Plumbing whose host ends go where {@code ports} says (the fast path when it takes pods, else
     * the bridge); {@code ports} must act in the namespace of {@code hostNetns} (or the calling
     * thread's when empty). Blocks to open the socket.
     */
    public static NetlinkPodPlumbing open(Optional<Path> hostNetns, PodPorts ports) {
        if (hostNetns.isEmpty()) {
            return new NetlinkPodPlumbing(RtNetlink.open(), Optional.empty(), ports);
        }
        NetNs ns = NetNs.open(hostNetns.get());
        try {
            return new NetlinkPodPlumbing(RtNetlink.open(ns), Optional.of(ns), ports);
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    @Override
    public Plumbed plumb(Spec spec) throws CniException {
        // a socket of its own: parallel ADDs do not queue for the shared one between their calls
        try (RtNetlink host = openHost()) {
            return plumb(spec, host);
        } catch (KernelException e) {
            throw kernel("plumbing " + spec.ifname() + " into " + spec.netns(), e);
        }
    }

    private Plumbed plumb(Spec spec, RtNetlink host) throws CniException {
        Link bridge = bridgeLink(host, spec.bridge())
                .orElseThrow(() -> new CniException(
                        CniErrorCode.TRY_AGAIN_LATER, "bridge " + spec.bridge() + " does not exist or is down"));
        int mtu = spec.mtu().orElse(bridge.mtu());
        try (NetNs pod = openPod(spec.netns(), CniErrorCode.INVALID_ENVIRONMENT);
                RtNetlink podRt = RtNetlink.openFromThisThread(pod)) {
            if (podRt.links().find(spec.ifname()).isPresent()) {
                throw new CniException(
                        CniErrorCode.INVALID_ENVIRONMENT,
                        "CNI_IFNAME " + spec.ifname() + " already exists in CNI_NETNS " + spec.netns());
            }
            createPair(host, spec, mtu, bridge, pod);
            try {
                Link hostEnd = host.links().get(spec.hostVeth());
                // plugged into the fast path, the pod reaches itself through the host's routing
                // (its gateway is on the bridge), not through a bridge port's hairpin
                if (!plug(spec.hostVeth()) && spec.hairpin()) {
                    setHairpin(host, hostEnd.index());
                }
                Link podEnd = podRt.links().get(spec.ifname());
                // gratuitous ARP when the address comes up, so neighbours forget a reused IP's old MAC
                setArpNotify(podRt, podEnd.index());
                for (IpPrefix a : spec.addresses()) {
                    podRt.addresses().add(podEnd.index(), linux(a));
                }
                podRt.links().setUp(spec.ifname());
                for (Result.Route r : spec.routes()) {
                    podRt.routes().add(route(r, podEnd.index()));
                }
                // re-read: a bridge without a fixed MAC takes its lowest port's
                return new Plumbed(mac(host.links().get(bridge.index())), mac(hostEnd), mac(podEnd), mtu);
            } catch (KernelException | IllegalArgumentException e) {
                unplug(spec.hostVeth());
                host.links().deleteIfExists(spec.hostVeth());
                throw kernel("setting up " + spec.ifname() + " in " + spec.netns(), e);
            } catch (CniException e) {
                host.links().deleteIfExists(spec.hostVeth());
                throw e;
            }
        } catch (KernelException e) {
            throw kernel("plumbing " + spec.ifname() + " into " + spec.netns(), e);
        }
    }

    /**
     * Creates the pair; the pod end's name was checked to be free, so EEXIST means the host end's
     * name is taken: a leftover of an attachment the router forgot (its record lost), removed and
     * retried once.
     */
    private static void createPair(RtNetlink host, Spec spec, int mtu, Link bridge, NetNs pod) throws CniException {
        for (int attempt = 0; ; attempt++) {
            try {
                host.links()
                        .create(LinkSpec.veth(spec.hostVeth(), spec.ifname())
                                .mtu(mtu)
                                .master(bridge.index())
                                .up()
                                .peerNetNs(pod));
                return;
            } catch (KernelException e) {
                if (e.errno() != Errno.EEXIST) {
                    throw kernel("creating veth " + spec.hostVeth() + " / " + spec.ifname(), e);
                }
                if (attempt > 0 || !host.links().deleteIfExists(spec.hostVeth())) {
                    throw new CniException(
                            CniErrorCode.INVALID_ENVIRONMENT,
                            "CNI_IFNAME " + spec.ifname() + " already exists in CNI_NETNS " + spec.netns());
                }
            }
        }
    }

    /** Hands the host end to {@link #ports}; true if it took it off the bridge. */
    private boolean plug(String hostVeth) throws CniException {
        try {
            return ports.plug(hostVeth);
        } catch (RuntimeException e) {
            throw new CniException(
                    CniErrorCode.KERNEL, "plugging " + hostVeth + " into the fast path (" + ports + ") failed: " + e);
        }
    }

    /** Takes the host end out of the fast path; a failure is logged (deleting the veth unplugs it). */
    private void unplug(String hostVeth) {
        try {
            ports.unplug(hostVeth);
        } catch (RuntimeException e) {
            log.warn("unplugging {} from the fast path: {}", hostVeth, e.toString());
        }
    }

    @Override
    public void unplumb(String hostVeth) throws CniException {
        unplug(hostVeth);
        try (RtNetlink own = openHost()) {
            own.links().deleteIfExists(hostVeth);
        } catch (KernelException e) {
            throw kernel("deleting " + hostVeth, e);
        }
    }

    @Override
    public void check(Spec spec, Expected expected) throws CniException {
        List<String> problems = new ArrayList<>();
        try {
            Optional<Link> hostEnd = host.links().find(spec.hostVeth());
            Optional<Link> bridge = bridgeLink(spec.bridge());
            if (hostEnd.isEmpty()) {
                problems.add("host end " + spec.hostVeth() + " is missing");
            } else {
                if (bridge.isEmpty()
                        || (hostEnd.get().masterIndex() != bridge.get().index() && !isPlugged(spec.hostVeth()))) {
                    problems.add("host end " + spec.hostVeth() + " is not on bridge " + spec.bridge()
                            + " nor plugged into the fast path");
                }
                if (!hostEnd.get().isUp()) {
                    problems.add("host end " + spec.hostVeth() + " is down");
                }
            }
            try (NetNs pod = openPod(spec.netns(), CniErrorCode.CHECK_FAILED);
                    RtNetlink podRt = RtNetlink.openFromThisThread(pod)) {
                Optional<Link> podEnd = podRt.links().find(spec.ifname());
                if (podEnd.isEmpty()) {
                    problems.add(spec.ifname() + " is missing in " + spec.netns());
                } else {
                    checkPodEnd(podRt, podEnd.get(), spec, expected, problems);
                }
            }
        } catch (KernelException e) {
            throw kernel("checking " + spec.ifname() + " in " + spec.netns(), e);
        }
        if (!problems.isEmpty()) {
            throw new CniException(
                    CniErrorCode.CHECK_FAILED, "attachment differs from prevResult: " + String.join("; ", problems));
        }
    }

    private boolean isPlugged(String hostVeth) throws CniException {
        try {
            return ports.isPlugged(hostVeth);
        } catch (RuntimeException e) {
            throw new CniException(CniErrorCode.KERNEL, "asking the fast path about " + hostVeth + " failed: " + e);
        }
    }

    private void checkPodEnd(RtNetlink podRt, Link link, Spec spec, Expected expected, List<String> problems) {
        String name = spec.ifname();
        if (!link.kind().equals("veth")) {
            problems.add(name + " is a " + (link.kind().isEmpty() ? "device" : link.kind()) + ", not a veth");
        }
        if (!link.isUp()) {
            problems.add(name + " is down");
        }
        expected.containerMac()
                .filter(m -> link.mac() == null || !MacAddress.parse(m).equals(link.mac()))
                .ifPresent(m -> problems.add(name + " has MAC " + link.mac() + ", prevResult says " + m));
        expected.containerMtu()
                .filter(m -> m != link.mtu())
                .ifPresent(m -> problems.add(name + " has MTU " + link.mtu() + ", prevResult says " + m));
        List<Address> have = podRt.addresses().list(link.index());
        for (IpPrefix want : spec.addresses()) {
            boolean found = have.stream()
                    .anyMatch(a -> a.prefix().address().equals(want.address())
                            && a.prefix().length() == want.length());
            if (!found) {
                problems.add(name + " lacks address " + want);
            }
        }
        List<Route> routes = podRt.routes().listMain();
        for (Result.Route want : spec.routes()) {
            dev.weft.linux.api.IpPrefix dst = linux(want.dst()).network();
            boolean found = routes.stream()
                    .anyMatch(r -> r.destination().equals(dst)
                            && (want.gw().isEmpty() || want.gw().get().equals(r.gateway())));
            if (!found) {
                problems.add("route " + want.dst()
                        + want.gw().map(g -> " via " + g.getHostAddress()).orElse("") + " is missing");
            }
        }
    }

    @Override
    public Optional<Bridge> bridge(String name) throws CniException {
        try {
            return bridgeLink(name).map(b -> new Bridge(mac(b), b.mtu()));
        } catch (KernelException e) {
            throw kernel("looking up bridge " + name, e);
        }
    }

    private Optional<Link> bridgeLink(String name) {
        return bridgeLink(host, name);
    }

    private static Optional<Link> bridgeLink(RtNetlink rt, String name) {
        return rt.links().find(name).filter(l -> l.kind().equals("bridge") && l.isUp());
    }

    /** A new rtnetlink socket in the bridge's namespace, made by the calling thread. */
    private RtNetlink openHost() {
        return hostNs.isPresent() ? RtNetlink.openFromThisThread(hostNs.get()) : RtNetlink.open();
    }

    /** Hairpin on the bridge port: RTM_SETLINK, AF_BRIDGE, IFLA_PROTINFO { IFLA_BRPORT_MODE = 1 }. */
    private static void setHairpin(RtNetlink host, int portIndex) {
        host.withSocket(s -> {
            var w = s.writer().begin(RTM_SETLINK, 0);
            w.putU8(AF_BRIDGE).putU8(0).putU16(0).putU32(portIndex).putU32(0).putU32(0); // ifinfomsg
            int info = w.beginNested(IFLA_PROTINFO);
            w.attrU8(IFLA_BRPORT_MODE, 1);
            w.endNested(info);
            return s.request(w, m -> {}, "hairpin mode of bridge port #" + portIndex);
        });
    }

    /**
     * {@code net.ipv4.conf.IF.arp_notify = 1} through rtnetlink (RTM_SETLINK, IFLA_AF_SPEC {
     * AF_INET { IFLA_INET_CONF { ARP_NOTIFY = 1 } } }) on the pod's socket: no write under
     * /proc/sys, which would need a thread inside the pod's namespace.
     */
    private static void setArpNotify(RtNetlink rt, int index) {
        rt.withSocket(s -> {
            var w = s.writer().begin(RTM_SETLINK, 0);
            w.putU8(0).putU8(0).putU16(0).putU32(index).putU32(0).putU32(0); // ifinfomsg
            int af = w.beginNested(IFLA_AF_SPEC);
            int inet = w.beginNested(AF_INET);
            int conf = w.beginNested(IFLA_INET_CONF);
            w.attrU32(IPV4_DEVCONF_ARP_NOTIFY, 1);
            w.endNested(conf);
            w.endNested(inet);
            w.endNested(af);
            return s.request(w, m -> {}, "arp_notify of link #" + index);
        });
    }

    private static NetNs openPod(Path netns, int code) throws CniException {
        try {
            return NetNs.open(netns);
        } catch (KernelException e) {
            String why = e.errno() == Errno.ENOENT
                    ? "does not exist"
                    : e.errno() == Errno.EINVAL
                            ? "is not a network namespace"
                            : "cannot be opened (" + e.errnoName() + ")";
            throw new CniException(code, "CNI_NETNS " + netns + " " + why);
        }
    }

    private static Route route(Result.Route r, int linkIndex) {
        Route route = Route.to(linux(r.dst())).dev(linkIndex);
        if (r.gw().isPresent()) {
            route = route.via(r.gw().get());
        }
        if (r.scope().isPresent()) {
            route = route.withScope(r.scope().get());
        } else if (r.gw().isEmpty()) {
            route = route.withScope(SCOPE_LINK);
        }
        if (r.priority().isPresent()) {
            route = route.withMetric(r.priority().get());
        }
        if (r.table().isPresent()) {
            route = route.inTable(r.table().get());
        }
        return route;
    }

    private static dev.weft.linux.api.IpPrefix linux(IpPrefix p) {
        return new dev.weft.linux.api.IpPrefix(p.address(), p.length());
    }

    private static String mac(Link l) {
        return l.mac() == null ? "" : l.mac().toString();
    }

    private static CniException kernel(String what, RuntimeException e) {
        if (e instanceof KernelException k) {
            return new CniException(CniErrorCode.KERNEL, what + " failed: " + k.getMessage(), "errno " + k.errnoName());
        }
        return new CniException(CniErrorCode.KERNEL, what + " failed: " + e.getMessage());
    }

    /** Closes the host socket (and namespace handle). */
    @Override
    public void close() {
        host.close();
        hostNs.ifPresent(NetNs::close);
    }
}
