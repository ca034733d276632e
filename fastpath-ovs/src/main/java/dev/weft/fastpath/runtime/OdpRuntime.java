package dev.weft.fastpath.runtime;

import dev.weft.fastpath.api.FastPathConfig;
import dev.weft.fastpath.internal.driver.Driver;
import dev.weft.fastpath.internal.driver.HeartbeatSink;
import dev.weft.fastpath.internal.odp.BoundDatapath;
import dev.weft.fastpath.internal.odp.OdpClient;
import dev.weft.fastpath.internal.odp.OdpDriver;
import dev.weft.fastpath.internal.odp.OdpForwarder;
import dev.weft.fastpath.internal.odp.OdpUpcalls;
import dev.weft.fastpath.internal.wire.HeartbeatFrame;
import dev.weft.linux.api.RtNetlink;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the ODP driver: the datapath (swept of leftovers), the upcall socket and the upcall loop,
 * one platform thread that owns the {@link OdpForwarder}: it answers misses, runs the tasks the
 * driver submits, and expires idle flows every {@link #EXPIRY_INTERVAL}.
 */
final class OdpRuntime {
    private static final Logger log = LoggerFactory.getLogger(OdpRuntime.class);

    /** Weave's flow expiry period (weave-net.md 7.5). */
    static final Duration EXPIRY_INTERVAL = Duration.ofMinutes(5);

    private OdpRuntime() {}

    /** The ODP driver in the calling thread's namespace, or empty when the kernel has no ODP. */
    static Optional<Driver> open(FastPathConfig config, HeartbeatSink sink) {
        Optional<OdpClient> opened = OdpClient.open();
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        OdpClient client = opened.get();
        RtNetlink rt = null;
        OdpUpcalls upcalls = null;
        try {
            rt = RtNetlink.open();
            upcalls = OdpUpcalls.open();
            OdpDriver.Ports ports = OdpDriver.setUp(client, rt, config, upcalls.portId());
            OdpForwarder forwarder = new OdpForwarder(
                    new BoundDatapath(client, ports.datapath()),
                    ports.vxlanPort(),
                    0, // replaced by the mesh's short ID before any peer is carried
                    0, // tunnel source address: the kernel's route lookup picks it
                    (sourceShortId, outerSource, frame) -> {
                        HeartbeatFrame.Heartbeat hb = HeartbeatFrame.decode(ByteBuffer.wrap(frame));
                        if (hb != null) {
                            sink.received(hb);
                        }
                    });
            forwarder.addLocalPort(ports.netdevPort());
            if (ports.sleeveVport() >= 0) {
                forwarder.setSleevePort(ports.sleeveVport());
            }
            for (int pod : ports.pods().values()) {
                forwarder.addLocalPort(pod);
            }
            UpcallLoop loop = new UpcallLoop(upcalls, forwarder);
            loop.thread.start();
            return Optional.of(new OdpDriver(client, rt, config, ports, forwarder, loop, loop::stop));
        } catch (RuntimeException e) {
            if (upcalls != null) {
                upcalls.close();
            }
            if (rt != null) {
                rt.close();
            }
            client.close();
            throw e;
        }
    }

    /** The forwarder's thread. */
    private static final class UpcallLoop implements Executor {
        private final OdpUpcalls upcalls;
        private final OdpForwarder forwarder;
        private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        private final Thread thread;
        private volatile boolean running = true;

        UpcallLoop(OdpUpcalls upcalls, OdpForwarder forwarder) {
            this.upcalls = upcalls;
            this.forwarder = forwarder;
            this.thread =
                    Thread.ofPlatform().name("weft-fastpath-upcalls").daemon().unstarted(this::run);
        }

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
            upcalls.wakeup();
        }

        private void run() {
            long nextExpiry = System.nanoTime() + EXPIRY_INTERVAL.toNanos();
            while (running) {
                try {
                    Runnable task;
                    while ((task = tasks.poll()) != null) {
                        task.run();
                    }
                    if (System.nanoTime() - nextExpiry >= 0) {
                        int expired = forwarder.expireIdleFlows();
                        log.debug("fastpath: expired {} idle flows", expired);
                        nextExpiry = System.nanoTime() + EXPIRY_INTERVAL.toNanos();
                    }
                    if (upcalls.receive(forwarder::onMiss, 1000) < 0) {
                        return;
                    }
                } catch (RuntimeException e) {
                    // One bad miss or kernel refusal must not kill the datapath's only handler
                    // (Weave #3773: a dead miss handler left the datapath without flows).
                    if (running) {
                        log.warn("fastpath: upcall loop: {}", e.toString());
                    }
                }
            }
        }

        void stop() {
            running = false;
            upcalls.wakeup();
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            upcalls.close();
        }
    }
}
