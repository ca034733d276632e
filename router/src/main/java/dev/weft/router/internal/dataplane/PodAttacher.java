package dev.weft.router.internal.dataplane;

import dev.weft.fastpath.api.FastPath;
import dev.weft.linux.api.IpPrefix;
import dev.weft.linux.api.KernelException;
import dev.weft.linux.api.Link;
import dev.weft.linux.api.LinkSpec;
import dev.weft.linux.api.NetNs;
import dev.weft.linux.api.Route;
import dev.weft.linux.api.RtNetlink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Attaches a network namespace as a pod ({@code weft attach NETNS}): a veth pair whose host end
 * ({@code vethwe} and 9 hex digits derived from the namespace's name, so detach finds it again)
 * is plugged into the kernel fast path when it takes pods (the Open vSwitch datapath: no bridge
 * between the pod and the tunnel) and otherwise sits on the bridge, and whose other end is {@code
 * eth0} inside the namespace, with the pod's address, MTU and a multicast route, up. Runs in the
 * router's namespace (where the bridge is); blocks on netlink.
 */
public final class PodAttacher {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PodAttacher.class);
    private static final IpPrefix MULTICAST = IpPrefix.parse("224.0.0.0/4");

    /** Every pod's host veth name starts with this (the CNI plugin's too). */
    public static final String HOST_VETH_PREFIX = "vethwe";

    private final String bridge;
    private final int mtu;
    private final Optional<FastPath> fastPath;

    public PodAttacher(String bridge, int mtu) {
        this(bridge, mtu, Optional.empty());
    }

    /** @param fastPath the router's fast path: pods are plugged into it if it takes them */
    public PodAttacher(String bridge, int mtu, Optional<FastPath> fastPath) {
        this.bridge = bridge;
        this.mtu = mtu;
        this.fastPath = fastPath;
    }

    /** What an attachment is. */
    public record Attachment(String netns, String hostVeth, String ifname, IpPrefix address, String mac) {}

    /** The host end's name for {@code netns}. */
    public static String hostVethName(String netns) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(netns.getBytes(StandardCharsets.UTF_8));
            return HOST_VETH_PREFIX + HexFormat.of().formatHex(h).substring(0, 9);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * Attaches {@code netns} (a name under /run/netns, or a path) with {@code address}.
     *
     * @throws IllegalArgumentException if the namespace does not exist or already has {@code ifname}
     * @throws IllegalStateException if it is attached already (detach first)
     */
    public Attachment attach(String netns, String ifname, IpPrefix address) {
        Path path = netns.startsWith("/") ? Path.of(netns) : NetNs.RUN_DIR.resolve(netns);
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("no network namespace " + netns + " (" + path + ")");
        }
        String host = hostVethName(netns);
        try (RtNetlink nl = RtNetlink.open();
                NetNs pod = NetNs.open(path);
                RtNetlink podNl = RtNetlink.open(pod)) {
            if (nl.links().find(host).isPresent()) {
                throw new IllegalStateException(netns + " is attached already (" + host + "); detach it first");
            }
            if (podNl.links().find(ifname).isPresent()) {
                throw new IllegalArgumentException(netns + " already has an interface " + ifname);
            }
            nl.links().create(LinkSpec.veth(host, ifname).mtu(mtu).peerNetNs(pod));
            try {
                nl.links().setUp(host);
                if (fastPath.isEmpty() || !fastPath.get().attachPod(host)) {
                    nl.links().setMaster(host, bridge);
                }
                Link inside = podNl.links().get(ifname);
                podNl.addresses().add(inside.index(), address);
                podNl.links().setUp(ifname);
                podNl.links().find("lo").ifPresent(lo -> podNl.links().setUp("lo"));
                // the range is on-link through the address's prefix; multicast too, as Weave does
                podNl.routes().replace(Route.to(MULTICAST).dev(inside.index()));
                return new Attachment(
                        netns,
                        host,
                        ifname,
                        address,
                        String.valueOf(podNl.links().get(ifname).mac()));
            } catch (RuntimeException e) {
                unplug(host);
                nl.links().deleteIfExists(host);
                throw e;
            }
        }
    }

    /**
     * Plugs every pod's host veth ({@link #HOST_VETH_PREFIX}) found on {@code bridge} into the
     * fast path, if it takes pods: at the start of a router running the ODP driver, for pods a
     * clean stop or a run without it left on the bridge. A veth the fast path refuses stays on
     * the bridge (logged). Blocks on netlink.
     *
     * @return the veths plugged in
     */
    public static List<String> plugBridgedPods(String bridge, FastPath fastPath) {
        List<String> candidates = new ArrayList<>();
        try (RtNetlink nl = RtNetlink.open()) {
            Optional<Link> br = nl.links().find(bridge);
            if (br.isEmpty()) {
                return List.of();
            }
            for (Link l : nl.links().list()) {
                if (l.masterIndex() == br.get().index()
                        && l.name().startsWith(HOST_VETH_PREFIX)
                        && "veth".equals(l.kind())) {
                    candidates.add(l.name());
                }
            }
        }
        List<String> plugged = new ArrayList<>();
        for (String veth : candidates) {
            try {
                if (!fastPath.attachPod(veth)) {
                    return plugged; // this driver takes no pods
                }
                plugged.add(veth);
            } catch (RuntimeException e) {
                log.warn("fastpath: pod {} stays on the bridge: {}", veth, e.toString());
            }
        }
        return plugged;
    }

    /** Whether {@code netns} is attached (its host end exists). */
    public boolean isAttached(String netns) {
        try (RtNetlink nl = RtNetlink.open()) {
            return nl.links().find(hostVethName(netns)).isPresent();
        }
    }

    /** Detaches {@code netns}: deletes the pair. Returns false if it was not attached. Idempotent. */
    public boolean detach(String netns) {
        String host = hostVethName(netns);
        unplug(host);
        try (RtNetlink nl = RtNetlink.open()) {
            return nl.links().deleteIfExists(host);
        }
    }

    /** Takes the host end out of the fast path (deleting the veth would too; this also tells the forwarder). */
    private void unplug(String host) {
        fastPath.ifPresent(fp -> {
            try {
                fp.detachPod(host);
            } catch (RuntimeException e) {
                // the veth's deletion removes the kernel port anyway
                log.warn("fastpath: unplugging {}: {}", host, e.toString());
            }
        });
    }

    /** The address {@code netns}'s attachment has on {@code ifname}, if attached. */
    public Optional<IpPrefix> address(String netns, String ifname) {
        Path path = netns.startsWith("/") ? Path.of(netns) : NetNs.RUN_DIR.resolve(netns);
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        try (NetNs pod = NetNs.open(path);
                RtNetlink podNl = RtNetlink.open(pod)) {
            Optional<Link> l = podNl.links().find(ifname);
            if (l.isEmpty()) {
                return Optional.empty();
            }
            return podNl.addresses().list(l.get().index()).stream()
                    .map(a -> a.prefix())
                    .filter(p -> p.address() instanceof java.net.Inet4Address)
                    .findFirst();
        } catch (KernelException e) {
            return Optional.empty();
        }
    }

    public String bridge() {
        return bridge;
    }
}
