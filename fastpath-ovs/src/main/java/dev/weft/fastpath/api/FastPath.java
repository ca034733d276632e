package dev.weft.fastpath.api;

import dev.weft.gossip.spi.Overlay;

/**
 * The kernel fast path of one router: a driver (the Open vSwitch datapath, or a Linux VXLAN device
 * on the bridge) and the {@link Overlay} that runs heartbeats through it on every mesh connection.
 * A connection carries pod frames through the fast path while heartbeats pass both ways and falls
 * back (its {@code forward} answers false, so the overlay switch uses sleeve) when they stop for
 * {@link FastPathConfig#heartbeatTimeout()}; encrypted connections never use it (it does not
 * encrypt). Start one with {@code dev.weft.fastpath.runtime.FastPathRuntime}.
 *
 * <p>Thread-safe; nothing here blocks except {@link #close()}.
 */
public interface FastPath extends AutoCloseable {

    /** The overlay to register with the mesh (or with the router's overlay switch). */
    Overlay overlay();

    /** {@code vxlan} or {@code odp}. */
    String driver();

    /** The bridge port pod frames enter the fast path through (isolated from sleeve's). */
    String port();

    /** The pod MTU in bytes the fast path carries. */
    int mtu();

    FastPathStatus status();

    /**
     * Plugs a pod's host veth ({@code ifname}, in the router's namespace, up, on no bridge or on
     * the router's bridge, which it is then taken off) straight into the fast path: the ODP driver makes it a datapath port, so the pod's frames to
     * local pods and to fast-path peers cross no bridge and no extra veth pair (Weave's "fastdp
     * without bridge"); frames to peers on sleeve still reach sleeve. Blocks on netlink (a few
     * milliseconds); any thread. Idempotent.
     *
     * @return false if this driver takes no pods (the VXLAN driver): put the veth on the bridge
     * @throws dev.weft.linux.api.KernelException if the kernel refuses the port
     */
    boolean attachPod(String ifname);

    /**
     * Unplugs a pod {@link #attachPod} took (before its veth is deleted; deleting it unplugs it in
     * the kernel too). Blocks; any thread. False if it was not plugged. Idempotent.
     */
    boolean detachPod(String ifname);

    /** Whether {@code ifname} is plugged in by {@link #attachPod} (so on no bridge). Any thread; non-blocking. */
    boolean hasPod(String ifname);

    /**
     * Stops heartbeats, removes the driver's devices and kernel state; pods {@link #attachPod}
     * plugged in are put back on the bridge (they stay attached while no router runs). Idempotent.
     */
    @Override
    void close();
}
