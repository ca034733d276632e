package dev.weft.sleeve.runtime;

import dev.weft.linux.api.KernelException;
import dev.weft.linux.api.NetNs;
import dev.weft.linux.api.Tap;
import dev.weft.linux.api.TapConfig;
import dev.weft.linux.api.ThreadPriority;
import dev.weft.linux.api.UdpSocket;
import dev.weft.sleeve.api.Sleeve;
import dev.weft.sleeve.api.SleeveConfig;
import dev.weft.sleeve.internal.SleeveService;
import dev.weft.sleeve.internal.engine.SleeveEngine;
import dev.weft.sleeve.internal.engine.UdpAddress;
import dev.weft.sleeve.internal.overlay.SleeveOverlay;
import dev.weft.sleeve.spi.FrameHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts sleeve for real: opens the TAP device (with a vnet header and TSO/checksum offloads when
 * {@link SleeveConfig#offloads()}) and the UDP socket (sized buffers, don't-fragment, receive
 * coalescing) in the calling thread's network namespace, and runs one capture thread and one
 * receive thread.
 */
public final class SleeveRuntime {
    private static final Logger log = LoggerFactory.getLogger(SleeveRuntime.class);

    private SleeveRuntime() {}

    /**
     * Opens the devices and starts the threads. The TAP is created down: the caller puts it on the
     * bridge and brings it up.
     *
     * @param self this router's peer name
     * @throws KernelException if the TAP or the socket cannot be opened (e.g. the port is taken)
     */
    public static Sleeve start(long self, SleeveConfig config, FrameHandler handler) {
        TapConfig tc = TapConfig.named(config.tapName());
        if (config.offloads()) {
            tc = tc.withVnetHeader(10, TapConfig.CSUM | TapConfig.TSO4 | TapConfig.TSO6 | TapConfig.TSO_ECN);
        }
        Tap tap = Tap.open(tc);
        UdpSocket socket;
        try {
            socket = UdpSocket.open(new UdpSocket.Options(
                    0, config.port(), config.receiveBufferBytes(), config.sendBufferBytes(), true, config.offloads()));
        } catch (RuntimeException e) {
            tap.close();
            throw e;
        }
        SleeveEngine engine = new SleeveEngine(self, config, new TapPort(tap), socket, handler);
        // The kernel's path MTU is per namespace: ask from this one, whatever thread asks.
        NetNs home = NetNs.current();
        SleeveOverlay overlay = new SleeveOverlay(engine, address -> {
            try {
                return home.call(() -> UdpSocket.pathMtu(UdpAddress.ip(address), UdpAddress.port(address)));
            } catch (RuntimeException e) {
                return -1;
            }
        });
        // Named after the peer: several routers may share a JVM in tests and benchmarks.
        String who = String.format(java.util.Locale.ROOT, "%012x", self);
        Thread capture = Thread.ofPlatform()
                .name("weft-sleeve-capture-" + who)
                .daemon()
                .unstarted(() -> favoured(config, engine::runCapture));
        Thread receive = Thread.ofPlatform()
                .name("weft-sleeve-receive-" + who)
                .daemon()
                .unstarted(() -> favoured(config, engine::runReceive));
        capture.start();
        receive.start();
        log.info(
                "sleeve: tap {} (offloads {}), udp port {} (receive buffer {} KiB, coalescing {})",
                tap.name(),
                config.offloads(),
                socket.port(),
                socket.receiveBufferBytes() / 1024,
                socket.receiveCoalescing());
        return new SleeveService(engine, overlay, () -> {
            join(capture);
            join(receive);
            home.close();
        });
    }

    /** Runs a data-plane loop at the configured nice value (kept at 0 without CAP_SYS_NICE). */
    private static void favoured(SleeveConfig config, Runnable loop) {
        if (config.threadNice() != 0 && !ThreadPriority.setNice(config.threadNice())) {
            log.info(
                    "sleeve: could not set nice {} on {} (no CAP_SYS_NICE)",
                    config.threadNice(),
                    Thread.currentThread().getName());
        }
        loop.run();
    }

    private static void join(Thread t) {
        try {
            t.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
