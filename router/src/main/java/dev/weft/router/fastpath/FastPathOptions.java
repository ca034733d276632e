package dev.weft.router.fastpath;

import dev.weft.fastpath.api.FastPathConfig;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The kernel fast path's flags of {@code weft launch} (a picocli mixin: {@code @Mixin
 * FastPathOptions fastPath}). {@link #config()} validates them; give the result to {@code
 * DataPlaneConfig.withFastPath}. With a password the fast path is still started, but every
 * connection refuses it (it does not encrypt) and sleeve carries them all.
 */
public final class FastPathOptions {

    @Option(
            names = "--no-fastdp",
            description = "Do not use the kernel fast path: sleeve carries every connection (Weave's --no-fastdp).")
    boolean disabled;

    @Option(
            names = "--fastdp-driver",
            paramLabel = "DRIVER",
            defaultValue = "auto",
            description =
                    "auto (Open vSwitch if the kernel has it, else VXLAN), odp or vxlan (default: ${DEFAULT-VALUE}).")
    String driver;

    @Option(
            names = "--fastdp-port",
            paramLabel = "PORT",
            defaultValue = "6784",
            description = "The fast path's VXLAN UDP port; every peer must use the same (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--fastdp-heartbeat-timeout",
            paramLabel = "SECONDS",
            defaultValue = "10",
            description = "Fall back to sleeve after this long without fast-path heartbeats in either direction"
                    + " (default: ${DEFAULT-VALUE}); heartbeats go every tenth of it, at most every second.")
    double heartbeatTimeoutSeconds;

    /**
     * The fast path's configuration, or empty with {@code --no-fastdp}. Bridge, MTU and sleeve's port
     * are the data plane's.
     *
     * @throws IllegalArgumentException naming the flag and what is wrong
     */
    public Optional<FastPathConfig> config() {
        if (disabled) {
            return Optional.empty();
        }
        FastPathConfig.DriverKind kind =
                switch (driver.toLowerCase(Locale.ROOT)) {
                    case "auto" -> FastPathConfig.DriverKind.AUTO;
                    case "odp", "ovs" -> FastPathConfig.DriverKind.ODP;
                    case "vxlan" -> FastPathConfig.DriverKind.VXLAN;
                    default ->
                        throw new IllegalArgumentException(
                                "--fastdp-driver must be auto, odp or vxlan, not \"" + driver + "\"");
                };
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--fastdp-port must be 1..65535, not " + port);
        }
        if (!(heartbeatTimeoutSeconds >= 1 && heartbeatTimeoutSeconds <= 3600)) {
            throw new IllegalArgumentException(
                    "--fastdp-heartbeat-timeout must be 1..3600 seconds, not " + heartbeatTimeoutSeconds);
        }
        Duration timeout = Duration.ofMillis(Math.round(heartbeatTimeoutSeconds * 1000));
        Duration interval = timeout.dividedBy(10);
        if (interval.compareTo(Duration.ofSeconds(1)) > 0) {
            interval = Duration.ofSeconds(1);
        }
        return Optional.of(
                FastPathConfig.defaults().withDriver(kind).withUdpPort(port).withHeartbeats(interval, timeout));
    }
}
