package dev.weft.sleeve.api;

import java.time.Duration;
import java.util.List;

/**
 * How the sleeve data plane runs. Immutable; start from {@link #defaults()}.
 *
 * @param port the UDP port datagrams are received on (and announced to peers); default 6783, the
 *     same number as the control port
 * @param tapName the TAP device sleeve reads and writes frames through; the router puts it on the
 *     bridge; default {@code vethwe-sleeve}
 * @param receiveBufferBytes the UDP socket's receive buffer, bytes; default 8 MiB (the kernel's
 *     default of ~208 KiB overflows at a few hundred Mbit/s)
 * @param sendBufferBytes the UDP socket's send buffer, bytes; default 8 MiB
 * @param ciphers encrypting ciphers this peer accepts, most preferred first (see {@link
 *     DataPlaneCipher#preferenceOrder})
 * @param offloads use TAP checksum/segmentation offloads and UDP segmentation/receive coalescing
 *     (super-frames of up to 64 KiB); default true
 * @param heartbeatFast heartbeat interval until the peer acknowledged one; default 500 ms
 * @param heartbeatSlow heartbeat interval afterwards; default 10 s
 * @param heartbeatTimeout a connection without heartbeats for this long has failed; default 60 s
 * @param pathMtuRecheck path-MTU discovery runs again this often; default 10 min
 * @param threadNice nice value of the capture and receive threads, -20..19; default -10, so frames
 *     are forwarded promptly however busy the node is (a forwarding thread waiting behind ordinary
 *     processes adds their time slices to every packet's latency); needs CAP_SYS_NICE, else stays 0
 */
public record SleeveConfig(
        int port,
        String tapName,
        int receiveBufferBytes,
        int sendBufferBytes,
        List<DataPlaneCipher> ciphers,
        boolean offloads,
        Duration heartbeatFast,
        Duration heartbeatSlow,
        Duration heartbeatTimeout,
        Duration pathMtuRecheck,
        int threadNice) {
    public static final int DEFAULT_PORT = 6783;
    public static final String DEFAULT_TAP = "vethwe-sleeve";

    public SleeveConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("sleeve port out of range: " + port);
        }
        if (tapName == null || tapName.isEmpty() || tapName.length() > 15) {
            throw new IllegalArgumentException("TAP name must be 1..15 characters: " + tapName);
        }
        if (receiveBufferBytes < 0 || sendBufferBytes < 0) {
            throw new IllegalArgumentException("socket buffer sizes must be >= 0");
        }
        ciphers = List.copyOf(ciphers);
        if (ciphers.isEmpty() || ciphers.contains(DataPlaneCipher.NONE)) {
            throw new IllegalArgumentException("ciphers must list at least one encrypting cipher: " + ciphers);
        }
        if (threadNice < -20 || threadNice > 19) {
            throw new IllegalArgumentException("thread nice value must be -20..19: " + threadNice);
        }
        for (Duration d : List.of(heartbeatFast, heartbeatSlow, heartbeatTimeout, pathMtuRecheck)) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("durations must be positive: " + d);
            }
        }
    }

    /** The defaults, with ciphers ordered for this machine's CPU. */
    public static SleeveConfig defaults() {
        return new SleeveConfig(
                DEFAULT_PORT,
                DEFAULT_TAP,
                8 << 20,
                8 << 20,
                DataPlaneCipher.preferenceOrder(CpuFeatures.hasAesInstructions()),
                true,
                Duration.ofMillis(500),
                Duration.ofSeconds(10),
                Duration.ofSeconds(60),
                Duration.ofMinutes(10),
                -10);
    }

    public SleeveConfig withPort(int p) {
        return new SleeveConfig(
                p,
                tapName,
                receiveBufferBytes,
                sendBufferBytes,
                ciphers,
                offloads,
                heartbeatFast,
                heartbeatSlow,
                heartbeatTimeout,
                pathMtuRecheck,
                threadNice);
    }

    public SleeveConfig withTapName(String name) {
        return new SleeveConfig(
                port,
                name,
                receiveBufferBytes,
                sendBufferBytes,
                ciphers,
                offloads,
                heartbeatFast,
                heartbeatSlow,
                heartbeatTimeout,
                pathMtuRecheck,
                threadNice);
    }

    public SleeveConfig withCiphers(List<DataPlaneCipher> c) {
        return new SleeveConfig(
                port,
                tapName,
                receiveBufferBytes,
                sendBufferBytes,
                c,
                offloads,
                heartbeatFast,
                heartbeatSlow,
                heartbeatTimeout,
                pathMtuRecheck,
                threadNice);
    }

    public SleeveConfig withOffloads(boolean on) {
        return new SleeveConfig(
                port,
                tapName,
                receiveBufferBytes,
                sendBufferBytes,
                ciphers,
                on,
                heartbeatFast,
                heartbeatSlow,
                heartbeatTimeout,
                pathMtuRecheck,
                threadNice);
    }

    public SleeveConfig withBuffers(int receiveBytes, int sendBytes) {
        return new SleeveConfig(
                port,
                tapName,
                receiveBytes,
                sendBytes,
                ciphers,
                offloads,
                heartbeatFast,
                heartbeatSlow,
                heartbeatTimeout,
                pathMtuRecheck,
                threadNice);
    }

    public SleeveConfig withThreadNice(int nice) {
        return new SleeveConfig(
                port,
                tapName,
                receiveBufferBytes,
                sendBufferBytes,
                ciphers,
                offloads,
                heartbeatFast,
                heartbeatSlow,
                heartbeatTimeout,
                pathMtuRecheck,
                nice);
    }

    public SleeveConfig withHeartbeats(Duration fast, Duration slow, Duration timeout) {
        return new SleeveConfig(
                port,
                tapName,
                receiveBufferBytes,
                sendBufferBytes,
                ciphers,
                offloads,
                fast,
                slow,
                timeout,
                pathMtuRecheck,
                threadNice);
    }
}
