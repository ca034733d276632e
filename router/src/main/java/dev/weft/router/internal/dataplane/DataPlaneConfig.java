package dev.weft.router.internal.dataplane;

import dev.weft.fastpath.api.FastPathConfig;
import dev.weft.sleeve.api.SleeveConfig;
import java.time.Duration;
import java.util.Optional;

/**
 * How the router's data plane runs.
 *
 * @param bridge the Linux bridge pods attach to; default {@code weft}
 * @param mtu the pods' MTU in bytes (the bridge's and the TAP's); default 1376, which leaves room
 *     for sleeve's encrypted overhead on a 1500-byte underlay (1500 - 28 IP/UDP - 24 datagram
 *     header - 16 tag - 26 record header - 14 Ethernet = 1392) and equals Weave's fast-datapath
 *     default (room for VXLAN and ESP), so a connection moving between overlays keeps its MTU
 * @param macMaxAge a learnt MAC address is forgotten after this long without traffic; default 10 min
 * @param sleeve sleeve's own settings
 * @param fastPath the kernel fast path's settings (its bridge, MTU and sleeve port are this
 *     config's), or empty for sleeve only ({@code --no-fastdp}); empty in {@link #defaults()}: the
 *     launcher turns it on
 */
public record DataPlaneConfig(
        String bridge, int mtu, Duration macMaxAge, SleeveConfig sleeve, Optional<FastPathConfig> fastPath) {
    public static final String DEFAULT_BRIDGE = "weft";
    public static final int DEFAULT_MTU = 1376;

    public DataPlaneConfig {
        if (bridge == null || bridge.isEmpty() || bridge.length() > 15) {
            throw new IllegalArgumentException("bridge name must be 1..15 characters: " + bridge);
        }
        if (mtu < 576 || mtu > 65_535) {
            throw new IllegalArgumentException("MTU must be 576..65535 bytes: " + mtu);
        }
        if (macMaxAge.isNegative() || macMaxAge.isZero()) {
            throw new IllegalArgumentException("MAC max age must be positive");
        }
    }

    public static DataPlaneConfig defaults() {
        return new DataPlaneConfig(
                DEFAULT_BRIDGE, DEFAULT_MTU, Duration.ofMinutes(10), SleeveConfig.defaults(), Optional.empty());
    }

    public DataPlaneConfig withMtu(int bytes) {
        return new DataPlaneConfig(bridge, bytes, macMaxAge, sleeve, fastPath);
    }

    public DataPlaneConfig withBridge(String name) {
        return new DataPlaneConfig(name, mtu, macMaxAge, sleeve, fastPath);
    }

    public DataPlaneConfig withSleeve(SleeveConfig s) {
        return new DataPlaneConfig(bridge, mtu, macMaxAge, s, fastPath);
    }

    /** With the kernel fast path preferred over sleeve (or, with empty, sleeve only). */
    public DataPlaneConfig withFastPath(Optional<FastPathConfig> f) {
        return new DataPlaneConfig(bridge, mtu, macMaxAge, sleeve, f);
    }

    /** The fast path's settings with this data plane's bridge, MTU and sleeve port. */
    public Optional<FastPathConfig> fastPathOn(String sleevePort) {
        return fastPath.map(f -> f.withBridge(bridge).withMtu(mtu).withSleevePort(sleevePort));
    }
}
