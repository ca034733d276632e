package dev.weft.fastpath.internal.driver;

import dev.weft.gossip.api.PeerName;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * The kernel mechanism under the fast-path overlay: the Linux VXLAN driver or the Open vSwitch
 * datapath. It owns one bridge port (the VXLAN device, or the veth into the datapath) that pod
 * frames enter the fast path through, carries heartbeats to each known peer whether or not that
 * peer carries pod frames, and carries pod frames only to peers set {@linkplain #setCarrying
 * carrying}.
 *
 * <p>Threads: every method except {@link #diagnostics} is called on the fast-path overlay's actor,
 * one at a time; they may block for kernel round trips (netlink requests, microseconds to
 * milliseconds). Heartbeats that arrive go to the {@link HeartbeatSink} given at start, on the
 * driver's own receiving thread.
 */
public interface Driver extends AutoCloseable {

    /** {@code vxlan} or {@code odp}: peers only talk fast path with peers of the same kind. */
    String kind();

    /** The name of the bridge port pod frames enter the fast path through. */
    String port();

    /** The VXLAN UDP port. */
    int udpPort();

    /** The pod MTU in bytes; heartbeats are that long plus the Ethernet header. */
    int mtu();

    /** The MAC our heartbeats come from (and the peer's go to), or 0 if this driver needs none. */
    long heartbeatMac();

    /** Starts carrying heartbeats to and from the peer (not pod frames yet). Idempotent. */
    void addPeer(PeerPath path);

    /**
     * Starts (on) or stops (off) carrying pod frames to the peer. Off also forgets what the kernel
     * learnt about where the peer's MACs are. Idempotent.
     */
    void setCarrying(PeerPath path, boolean on);

    /**
     * Called periodically while the peer is not carried: forgets anything the kernel learnt from
     * frames the peer still sends through the fast path (it may not have noticed the failure yet),
     * so replies do not follow them into a broken direction. Idempotent.
     */
    void purge(PeerPath path);

    /** Stops everything towards the peer and removes its kernel state. Idempotent. */
    void removePeer(PeerPath path);

    /**
     * Sends one heartbeat frame (position to limit; the caller's again when this returns) to the
     * peer through the fast path.
     *
     * @return false if it could not be handed to the kernel
     */
    boolean sendHeartbeat(PeerPath path, ByteBuffer frame);

    /**
     * Short IDs changed (ours or a peer's; ODP puts them into every VNI). {@code self} is -1 while
     * we have none. Default: nothing.
     */
    default void shortIdsChanged(int self, Map<PeerName, Integer> peers) {}

    /** True if the driver needs short IDs ({@link #shortIdsChanged}). */
    default boolean needsShortIds() {
        return false;
    }

    /**
     * Makes the bridge forget the MACs it learnt behind sleeve's port. Frames sleeve delivered
     * taught the bridge that a peer's pods are behind it; once the fast path carries that peer,
     * such an entry would keep sending their frames up to userspace until it aged out (5 minutes).
     * Idempotent; nothing without a sleeve port.
     */
    void forgetSleeveMacs();

    /**
     * Whether the bridge floods broadcast, multicast and unknown unicast frames to sleeve's port.
     * Off while the fast path carries every reachable peer, so userspace sees no pod frames at
     * all; on as soon as some peer needs sleeve. Idempotent; nothing without a sleeve port.
     */
    void setSleeveFlooding(boolean on);

    /**
     * Kernel counters for status, in a stable order (ODP: the datapath's {@code hit}, {@code
     * missed}, {@code lost} and {@code flows}); empty when the driver has none. Any thread; may
     * make one kernel round trip. Default: none.
     */
    default Map<String, Long> counters() {
        return Map.of();
    }

    /**
     * Plugs a pod's host veth (in the driver's namespace, on no bridge) straight into the fast
     * path, so its frames skip the bridge. Any thread; blocks on the kernel. Idempotent.
     *
     * @return false if this driver takes no pods (the caller puts the veth on the bridge)
     */
    default boolean attachPod(String ifname) {
        return false;
    }

    /** Unplugs a pod {@link #attachPod} took. Any thread; blocks. False if it had not. */
    default boolean detachPod(String ifname) {
        return false;
    }

    /** Whether {@code ifname} is a pod {@link #attachPod} plugged in. Any thread; non-blocking. */
    default boolean hasPod(String ifname) {
        return false;
    }

    /** Kernel state for status (JSON-friendly values). Any thread. */
    Map<String, Object> diagnostics();

    /** Removes the driver's devices and stops its threads. Idempotent. */
    @Override
    void close();
}
