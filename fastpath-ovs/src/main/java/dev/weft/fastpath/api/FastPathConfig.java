package dev.weft.fastpath.api;

import dev.weft.linux.api.LinkSpec;
import java.time.Duration;

/**
 * How to run the fast path. Immutable; start from {@link #defaults()} and change fields with the
 * {@code with*} methods.
 *
 * @param bridge the router's bridge that pods are attached to (default {@code weft}); must exist
 * @param sleevePort the bridge port of the userspace data plane (sleeve's TAP), or empty: it is
 *     kept isolated from the fast path's port (a frame never passes between the two, so nothing is
 *     carried twice), and the MACs the bridge learnt on it are forgotten whenever a connection
 *     moves to the fast path (so frames for that peer's pods reach the fast path again)
 * @param driver which kernel mechanism to use
 * @param udpPort the VXLAN UDP port (default 6784); every peer must use the same
 * @param mtu the pod MTU in bytes (default 1376, Weave's: a 1460-byte underlay minus VXLAN's 50 and
 *     room for encryption later); every peer must use the same, and the underlay must carry it
 *     plus 50 bytes, or heartbeats, which are this long, fail
 * @param heartbeatInterval time between heartbeats while a path works (default 1 s); 500 ms, or
 *     this if shorter, while it does not
 * @param heartbeatTimeout silence in either direction after which a connection falls back to
 *     sleeve (default 10 s); must exceed the interval
 * @param vxlanDevice name of the VXLAN device (VXLAN driver; default {@code weft-vxlan})
 * @param heartbeatPort name of the TAP port heartbeats use (VXLAN driver; default {@code weft-fph})
 * @param datapath name of the Open vSwitch datapath (ODP driver; default {@code weft-dp}); its
 *     veth to the bridge is named after it with {@code -b} (bridge side) and {@code -d}
 */
public record FastPathConfig(
        String bridge,
        String sleevePort,
        DriverKind driver,
        int udpPort,
        int mtu,
        Duration heartbeatInterval,
        Duration heartbeatTimeout,
        String vxlanDevice,
        String heartbeatPort,
        String datapath) {

    /** Which kernel mechanism carries frames. */
    public enum DriverKind {
        /** The Open vSwitch datapath when the kernel has it, else the VXLAN driver. */
        AUTO,
        /** The Open vSwitch kernel datapath (fails to start without the openvswitch module). */
        ODP,
        /** A Linux VXLAN device on the bridge with FDB entries per peer. */
        VXLAN
    }

    /** Fastest heartbeat interval: while a path is not (yet) working. */
    public static final Duration FAST_INTERVAL = Duration.ofMillis(500);

    public FastPathConfig {
        LinkSpec.checkName(bridge);
        if (!sleevePort.isEmpty()) {
            LinkSpec.checkName(sleevePort);
        }
        LinkSpec.checkName(vxlanDevice);
        LinkSpec.checkName(heartbeatPort);
        if (datapath.length() > LinkSpec.MAX_NAME_LENGTH - 2) {
            throw new IllegalArgumentException("datapath name \"" + datapath + "\" longer than "
                    + (LinkSpec.MAX_NAME_LENGTH - 2) + " characters (its veth adds -b/-d)");
        }
        LinkSpec.checkName(datapath);
        if (udpPort < 1 || udpPort > 65535) {
            throw new IllegalArgumentException("UDP port " + udpPort + " out of range 1..65535");
        }
        if (mtu < 576 || mtu > 65000) {
            throw new IllegalArgumentException("MTU " + mtu + " out of range 576..65000");
        }
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("heartbeat interval must be positive: " + heartbeatInterval);
        }
        if (heartbeatTimeout.compareTo(heartbeatInterval) <= 0) {
            throw new IllegalArgumentException("heartbeat timeout (" + heartbeatTimeout
                    + ") must exceed the heartbeat interval (" + heartbeatInterval + ")");
        }
    }

    public static FastPathConfig defaults() {
        return new FastPathConfig(
                "weft",
                "",
                DriverKind.AUTO,
                6784,
                1376,
                Duration.ofSeconds(1),
                Duration.ofSeconds(10),
                "weft-vxlan",
                "weft-fph",
                "weft-dp");
    }

    /** The heartbeat interval while a path is not working. */
    public Duration fastInterval() {
        return heartbeatInterval.compareTo(FAST_INTERVAL) < 0 ? heartbeatInterval : FAST_INTERVAL;
    }

    public FastPathConfig withBridge(String name) {
        return new FastPathConfig(
                name,
                sleevePort,
                driver,
                udpPort,
                mtu,
                heartbeatInterval,
                heartbeatTimeout,
                vxlanDevice,
                heartbeatPort,
                datapath);
    }

    public FastPathConfig withSleevePort(String name) {
        return new FastPathConfig(
                bridge,
                name,
                driver,
                udpPort,
                mtu,
                heartbeatInterval,
                heartbeatTimeout,
                vxlanDevice,
                heartbeatPort,
                datapath);
    }

    public FastPathConfig withDriver(DriverKind d) {
        return new FastPathConfig(
                bridge,
                sleevePort,
                d,
                udpPort,
                mtu,
                heartbeatInterval,
                heartbeatTimeout,
                vxlanDevice,
                heartbeatPort,
                datapath);
    }

    public FastPathConfig withUdpPort(int port) {
        return new FastPathConfig(
                bridge,
                sleevePort,
                driver,
                port,
                mtu,
                heartbeatInterval,
                heartbeatTimeout,
                vxlanDevice,
                heartbeatPort,
                datapath);
    }

    public FastPathConfig withMtu(int bytes) {
        return new FastPathConfig(
                bridge,
                sleevePort,
                driver,
                udpPort,
                bytes,
                heartbeatInterval,
                heartbeatTimeout,
                vxlanDevice,
                heartbeatPort,
                datapath);
    }

    public FastPathConfig withHeartbeats(Duration interval, Duration timeout) {
        return new FastPathConfig(
                bridge, sleevePort, driver, udpPort, mtu, interval, timeout, vxlanDevice, heartbeatPort, datapath);
    }
}
