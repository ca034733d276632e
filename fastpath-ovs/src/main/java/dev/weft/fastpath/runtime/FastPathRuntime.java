package dev.weft.fastpath.runtime;

import dev.weft.fastpath.api.FastPath;
import dev.weft.fastpath.api.FastPathConfig;
import dev.weft.fastpath.internal.FastPathService;
import dev.weft.fastpath.internal.driver.Driver;
import dev.weft.fastpath.internal.driver.HeartbeatSink;
import dev.weft.fastpath.internal.odp.OdpClient;
import dev.weft.fastpath.internal.odp.OdpDatapath;
import dev.weft.fastpath.internal.odp.OdpDriver;
import dev.weft.fastpath.internal.overlay.FastPathOverlay;
import dev.weft.fastpath.internal.vxlan.VxlanDriver;
import dev.weft.linux.api.RtNetlink;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Starts the fast path for real, in the calling thread's network namespace: the Open vSwitch
 * datapath when the kernel has the openvswitch module (and the configuration allows it), else the
 * VXLAN driver.
 */
public final class FastPathRuntime {
    private static final SecureRandom RANDOM = new SecureRandom();

    private FastPathRuntime() {}

    /**
     * Sets the driver's devices up on the configured bridge (which must exist, as must sleeve's
     * port when one is configured) and returns the fast path; register its {@link
     * FastPath#overlay()} before the mesh starts.
     *
     * @throws dev.weft.linux.api.KernelException if a device cannot be made
     * @throws IllegalStateException if the ODP driver was asked for and the kernel has none
     */
    public static FastPath start(FastPathConfig config) {
        AtomicReference<FastPathOverlay> overlay = new AtomicReference<>();
        HeartbeatSink sink = hb -> {
            FastPathOverlay o = overlay.get();
            if (o != null) {
                o.heartbeatArrived(hb);
            }
        };
        Driver driver =
                switch (config.driver()) {
                    case VXLAN -> {
                        releaseLeftoverDatapath(config);
                        yield vxlan(config, sink);
                    }
                    case ODP ->
                        OdpRuntime.open(config, sink)
                                .orElseThrow(
                                        () -> new IllegalStateException(
                                                "the fast path's ODP driver needs the openvswitch kernel module, which this kernel lacks"));
                    case AUTO -> {
                        Optional<Driver> odp = OdpRuntime.open(config, sink);
                        yield odp.isPresent() ? odp.get() : vxlan(config, sink);
                    }
                };
        FastPathOverlay o = new FastPathOverlay(driver, config);
        overlay.set(o);
        return new FastPathService(driver, o);
    }

    /**
     * For a router starting without the ODP driver (the fast path off, the VXLAN driver, or a fast
     * path that failed to start): if a previous run of the ODP driver was killed and left its
     * datapath ({@link FastPathConfig#datapath()}), moves the pods plugged into it back onto the
     * bridge ({@link FastPathConfig#bridge()}, which must exist) and deletes the datapath, so
     * those pods are not stranded. {@link #start} with the VXLAN driver does this itself. Calling
     * thread's namespace; blocks on netlink (milliseconds). Idempotent; nothing to do on a kernel
     * without the openvswitch module.
     *
     * @return the pods moved onto the bridge
     * @throws dev.weft.linux.api.KernelException if the kernel refuses a change
     */
    public static List<String> releaseLeftoverDatapath(FastPathConfig config) {
        Optional<OdpClient> opened = OdpClient.open();
        if (opened.isEmpty()) {
            return List.of();
        }
        try (OdpClient client = opened.get();
                RtNetlink rt = RtNetlink.open()) {
            return OdpDriver.release(client, rt, config);
        }
    }

    /** True if this kernel (in the calling thread's namespace) has the Open vSwitch datapath. */
    public static boolean hasOdp() {
        Optional<OdpClient> c = OdpClient.open();
        c.ifPresent(OdpClient::close);
        return c.isPresent();
    }

    /**
     * Removes what the fast path leaves in the calling thread's namespace after its router is gone,
     * for {@code weft reset}: the Open vSwitch datapath of the configured name with all its ports
     * (pods plugged into it lose theirs), its veth to the bridge, the VXLAN device and the heartbeat
     * port. Must not run while a router uses them. Idempotent; blocks for netlink. Returns what was
     * removed, one line each.
     *
     * @throws dev.weft.linux.api.KernelException if a device is there and cannot be removed
     */
    public static List<String> removeDevices(FastPathConfig config) {
        List<String> removed = new ArrayList<>();
        Optional<OdpClient> odp = OdpClient.open();
        if (odp.isPresent()) {
            try (OdpClient client = odp.get()) {
                Optional<OdpDatapath> dp = client.findDatapath(config.datapath());
                if (dp.isPresent() && client.deleteDatapath(dp.get())) {
                    removed.add("Open vSwitch datapath " + config.datapath());
                }
            }
        }
        try (RtNetlink rt = RtNetlink.open()) {
            for (String name : List.of(config.datapath() + "-b", config.vxlanDevice(), config.heartbeatPort())) {
                if (rt.links().deleteIfExists(name)) {
                    removed.add("device " + name);
                }
            }
        }
        return removed;
    }

    private static Driver vxlan(FastPathConfig config, HeartbeatSink sink) {
        return VxlanDriver.open(config, randomMac(), sink);
    }

    /** A random locally administered unicast MAC. */
    static long randomMac() {
        long mac = RANDOM.nextLong() & 0xffff_ffff_ffffL;
        return (mac & ~0x0100_0000_0000L) | 0x0200_0000_0000L;
    }
}
