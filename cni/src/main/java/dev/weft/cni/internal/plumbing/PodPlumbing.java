package dev.weft.cni.internal.plumbing;

import dev.weft.cni.internal.spec.CniException;
import dev.weft.cni.internal.spec.IpPrefix;
import dev.weft.cni.internal.spec.Result;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The kernel work of an attachment: a veth pair between the host (where the bridge is) and the
 * pod's netns. Implemented over the {@code linux} module's rtnetlink.
 *
 * <p>Thread-safe; called from many request threads at once, never twice at the same time for the
 * same attachment. Every method blocks on netlink. Errors are {@link CniException}s with the code
 * the runtime should see: 4 for an unusable {@code CNI_NETNS} or {@code CNI_IFNAME}, 11 when the
 * bridge is missing, 101 for anything else the kernel refused (details carry the errno).
 */
public interface PodPlumbing {

    /**
     * Creates the pair (host end {@code hostVeth} on {@code bridge}, or plugged into the router's
     * fast path when its {@link dev.weft.cni.spi.PodPorts} takes pods; the other end inside
     * {@code netns} named {@code ifname}), sets MTU, hairpin, addresses, brings both up and adds
     * the routes inside the netns. Fails with code 4 if {@code ifname} already exists in the
     * netns. On failure nothing it created is left behind.
     */
    Plumbed plumb(Spec spec) throws CniException;

    /**
     * Unplugs the host end from the fast path and deletes it, and so the pair, if it exists. Idempotent; works when the pod's netns
     * is gone (the kernel then already removed the pair).
     */
    void unplumb(String hostVeth) throws CniException;

    /**
     * Verifies that the attachment still looks as {@code expected} says: the container interface
     * exists in the netns, is up, has the expected MAC (when given), MTU (when given) and every
     * address; each expected route exists; the host end exists, is up and on the bridge (or plugged into the fast path). Throws
     * with a message saying what differs.
     */
    void check(Spec spec, Expected expected) throws CniException;

    /** The bridge's MAC and MTU, or empty when no bridge of that name exists (or it is down). */
    Optional<Bridge> bridge(String name) throws CniException;

    /**
     * What to build.
     *
     * @param mtu bytes; empty: use the bridge's MTU
     */
    record Spec(
            Path netns,
            String ifname,
            String hostVeth,
            String bridge,
            Optional<Integer> mtu,
            boolean hairpin,
            List<IpPrefix> addresses,
            List<Result.Route> routes) {
        public Spec {
            addresses = List.copyOf(addresses);
            routes = List.copyOf(routes);
        }
    }

    /** What CHECK expects, from prevResult. */
    record Expected(Optional<String> containerMac, Optional<Integer> containerMtu) {}

    /** What was built: the MACs and the MTU in use, for the result. */
    record Plumbed(String bridgeMac, String hostMac, String containerMac, int mtu) {}

    /** A bridge as found. */
    record Bridge(String mac, int mtu) {}
}
