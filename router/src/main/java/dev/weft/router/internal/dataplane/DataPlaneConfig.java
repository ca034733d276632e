package dev.weft.router.internal.dataplane;

import dev.weft.sleeve.api.SleeveConfig;
import java.time.Duration;

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
 */
public record DataPlaneConfig(String bridge, int mtu, Duration macMaxAge, SleeveConfig sleeve) {
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
        return new DataPlaneConfig(DEFAULT_BRIDGE, DEFAULT_MTU, Duration.ofMinutes(10), SleeveConfig.defaults());
    }

    public DataPlaneConfig withMtu(int bytes) {
        return new DataPlaneConfig(bridge, bytes, macMaxAge, sleeve);
    }

    public DataPlaneConfig withBridge(String name) {
        return new DataPlaneConfig(name, mtu, macMaxAge, sleeve);
    }

    public DataPlaneConfig withSleeve(SleeveConfig s) {
        return new DataPlaneConfig(bridge, mtu, macMaxAge, s);
    }
}
