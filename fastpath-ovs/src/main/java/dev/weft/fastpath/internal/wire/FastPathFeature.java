package dev.weft.fastpath.internal.wire;

import java.util.Locale;
import java.util.Optional;

/**
 * The handshake feature a fast-path peer announces under the key {@code fastpath}, e.g. {@code 1
 * driver=vxlan port=6784 mtu=1376 mac=02:1a:2b:3c:4d:5e}: the version, which driver encapsulates
 * (their VNIs differ, so only equal drivers talk), the VXLAN UDP port, the pod MTU both ends must
 * share, and for the VXLAN driver the MAC its heartbeats come from and go to. Unknown keys are
 * ignored, so a later version can add some.
 *
 * @param version feature version (1)
 * @param driver {@code vxlan} or {@code odp}
 * @param port VXLAN UDP port
 * @param mtu pod MTU in bytes
 * @param heartbeatMac the peer's heartbeat MAC (48 bits), 0 when its driver needs none
 */
public record FastPathFeature(int version, String driver, int port, int mtu, long heartbeatMac) {
    public static final String KEY = "fastpath";
    public static final int VERSION = 1;
    /** Longest value accepted (the handshake's feature map is small). */
    public static final int MAX_LENGTH = 160;

    public String encode() {
        StringBuilder sb = new StringBuilder()
                .append(version)
                .append(" driver=")
                .append(driver)
                .append(" port=")
                .append(port)
                .append(" mtu=")
                .append(mtu);
        if (heartbeatMac != 0) {
            sb.append(" mac=").append(mac(heartbeatMac));
        }
        return sb.toString();
    }

    /** Parses a feature value; empty for anything absent or malformed. */
    public static Optional<FastPathFeature> parse(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String[] parts = value.trim().split(" +");
        try {
            int version = Integer.parseInt(parts[0]);
            String driver = null;
            int port = -1;
            int mtu = -1;
            long mac = 0;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i];
                if (p.startsWith("driver=")) {
                    driver = p.substring(7);
                } else if (p.startsWith("port=")) {
                    port = Integer.parseInt(p.substring(5));
                } else if (p.startsWith("mtu=")) {
                    mtu = Integer.parseInt(p.substring(4));
                } else if (p.startsWith("mac=")) {
                    mac = parseMac(p.substring(4));
                }
            }
            if (version < 1
                    || driver == null
                    || !driver.matches("[a-z0-9]{1,16}")
                    || port < 1
                    || port > 65535
                    || mtu < 576
                    || mtu > 65000
                    || mac < 0) {
                return Optional.empty();
            }
            return Optional.of(new FastPathFeature(version, driver, port, mtu, mac));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** {@code aa:bb:cc:dd:ee:ff}. */
    public static String mac(long mac) {
        StringBuilder sb = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            if (shift != 40) {
                sb.append(':');
            }
            sb.append(String.format(Locale.ROOT, "%02x", (mac >>> shift) & 0xff));
        }
        return sb.toString();
    }

    /** A unicast MAC, or -1 if malformed, multicast or zero. */
    private static long parseMac(String text) {
        String[] groups = text.split(":", -1);
        if (groups.length != 6) {
            return -1;
        }
        long mac = 0;
        for (String g : groups) {
            if (g.length() != 2) {
                return -1;
            }
            int hi = Character.digit(g.charAt(0), 16);
            int lo = Character.digit(g.charAt(1), 16);
            if (hi < 0 || lo < 0) {
                return -1;
            }
            mac = (mac << 8) | (hi << 4) | lo;
        }
        boolean group = (mac & 0x0100_0000_0000L) != 0;
        return mac == 0 || group ? -1 : mac;
    }
}
