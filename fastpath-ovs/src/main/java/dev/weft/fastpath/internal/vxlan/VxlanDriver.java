package dev.weft.fastpath.internal.vxlan;

import dev.weft.fastpath.api.FastPathConfig;
import dev.weft.fastpath.internal.driver.Driver;
import dev.weft.fastpath.internal.driver.HeartbeatSink;
import dev.weft.fastpath.internal.driver.PeerPath;
import dev.weft.fastpath.internal.wire.FastPathFeature;
import dev.weft.fastpath.internal.wire.HeartbeatFrame;
import dev.weft.linux.api.BridgePorts;
import dev.weft.linux.api.KernelException;
import dev.weft.linux.api.Link;
import dev.weft.linux.api.LinkSpec;
import dev.weft.linux.api.MacAddress;
import dev.weft.linux.api.Neighbour;
import dev.weft.linux.api.RtNetlink;
import dev.weft.linux.api.Tap;
import dev.weft.linux.api.TapConfig;
import dev.weft.linux.api.VxlanInfo;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fast path for kernels without Open vSwitch: a Linux VXLAN device on the router's bridge.
 *
 * <ul>
 *   <li>The device (VNI {@link #VNI}, the configured UDP port and MTU, kernel MAC learning on) is
 *       an <em>isolated</em> bridge port, and so is sleeve's TAP: the bridge never passes a frame
 *       from one to the other, so nothing that came through one overlay leaves through the other.
 *   <li>A peer that carries pod frames gets an all-zero-MAC flood entry (broadcast and unknown
 *       unicast go to it); the kernel learns which remote MACs are behind which peer. When the peer
 *       stops carrying, its flood entry goes, and so does every MAC the device and the bridge learnt
 *       from it, then and on every later {@link #purge}, so frames for its pods become unknown and
 *       reach sleeve.
 *   <li>Heartbeats use a TAP port of their own (learning and flooding off) with a random MAC, and a
 *       static bridge entry plus a permanent VXLAN entry per peer for the peer's heartbeat MAC: they
 *       cross the same device and underlay as pod frames, to exactly one peer, whether or not it
 *       carries pod frames.
 * </ul>
 *
 * <p>Threads: see {@link Driver}; one daemon thread reads heartbeats from the TAP.
 */
public final class VxlanDriver implements Driver {
    private static final Logger log = LoggerFactory.getLogger(VxlanDriver.class);

    /** The one VNI of the VXLAN driver ("wft"); every peer using it must use the same. */
    public static final int VNI = 0x776674;

    private static final int ENOENT = 2;

    private final RtNetlink rt;
    private final FastPathConfig config;
    private final Tap tap;
    private final long heartbeatMac;
    private final int vxlanIndex;
    private final int sleevePortIndex;
    private final Set<PeerPath> peers = new LinkedHashSet<>();
    private final Set<PeerPath> carrying = new LinkedHashSet<>();
    private final Thread reader;
    private volatile boolean closed;

    private VxlanDriver(
            RtNetlink rt,
            FastPathConfig config,
            Tap tap,
            long heartbeatMac,
            int vxlanIndex,
            int sleevePortIndex,
            HeartbeatSink sink) {
        this.rt = rt;
        this.config = config;
        this.tap = tap;
        this.heartbeatMac = heartbeatMac;
        this.vxlanIndex = vxlanIndex;
        this.sleevePortIndex = sleevePortIndex;
        this.reader =
                Thread.ofPlatform().name("weft-fastpath-heartbeats").daemon().unstarted(() -> readHeartbeats(sink));
    }

    /**
     * Sets the driver up in the calling thread's network namespace: removes a leftover device of
     * the configured names, creates the VXLAN device and the heartbeat TAP on the bridge, isolates
     * sleeve's port, and starts the heartbeat reader.
     *
     * @param heartbeatMac a random locally administered unicast MAC for our heartbeats
     * @throws KernelException if the bridge or sleeve's port is missing or a device cannot be made
     */
    public static VxlanDriver open(FastPathConfig config, long heartbeatMac, HeartbeatSink sink) {
        if (heartbeatMac == 0 || (heartbeatMac & 0x0100_0000_0000L) != 0) {
            throw new IllegalArgumentException("heartbeat MAC must be unicast and not zero");
        }
        RtNetlink rt = RtNetlink.open();
        Tap tap = null;
        try {
            Link bridge = rt.links().get(config.bridge());
            if (!"bridge".equals(bridge.kind())) {
                throw new IllegalArgumentException(config.bridge() + " is a " + bridge.kind() + ", not a bridge");
            }
            if (rt.links().deleteIfExists(config.vxlanDevice())) {
                log.info("fastpath: removed a leftover {}", config.vxlanDevice());
            }
            rt.links().deleteIfExists(config.heartbeatPort());
            int sleevePort = -1;
            if (!config.sleevePort().isEmpty()) {
                sleevePort = rt.links().get(config.sleevePort()).index();
            }
            rt.links()
                    .create(LinkSpec.vxlan(
                                    config.vxlanDevice(),
                                    VxlanInfo.of(VNI).withPort(config.udpPort()).withLearning(true))
                            .mtu(config.mtu())
                            .master(bridge.index()));
            int vxlan = rt.links().get(config.vxlanDevice()).index();
            BridgePorts ports = rt.bridgePorts();
            ports.setIsolated(vxlan, true);
            if (sleevePort > 0) {
                ports.setIsolated(sleevePort, true);
            }
            rt.links().setUp(config.vxlanDevice());

            tap = Tap.open(TapConfig.named(config.heartbeatPort()));
            rt.links().setMtu(tap.name(), config.mtu());
            rt.links().setMaster(tap.name(), bridge.index());
            int tapIndex = rt.links().get(tap.name()).index();
            ports.setLearning(tapIndex, false);
            ports.setFlooding(tapIndex, false);
            ports.addStatic(tapIndex, new MacAddress(heartbeatMac));
            rt.links().setUp(tap.name());

            VxlanDriver d = new VxlanDriver(rt, config, tap, heartbeatMac, vxlan, sleevePort, sink);
            d.reader.start();
            log.info(
                    "fastpath: vxlan driver on {}: device {} (VNI {}, UDP {}, MTU {}), heartbeats {} from {}",
                    config.bridge(),
                    config.vxlanDevice(),
                    VNI,
                    config.udpPort(),
                    config.mtu(),
                    tap.name(),
                    FastPathFeature.mac(heartbeatMac));
            return d;
        } catch (RuntimeException e) {
            if (tap != null) {
                tap.close();
            }
            try {
                rt.links().deleteIfExists(config.vxlanDevice());
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            rt.close();
            throw e;
        }
    }

    @Override
    public String kind() {
        return "vxlan";
    }

    @Override
    public String port() {
        return config.vxlanDevice();
    }

    @Override
    public int udpPort() {
        return config.udpPort();
    }

    @Override
    public int mtu() {
        return config.mtu();
    }

    @Override
    public long heartbeatMac() {
        return heartbeatMac;
    }

    @Override
    public void addPeer(PeerPath path) {
        MacAddress mac = new MacAddress(path.heartbeatMac());
        rt.neighbours().fdbReplace(vxlanIndex, mac, path.remote());
        rt.bridgePorts().addStatic(vxlanIndex, mac);
        peers.add(path);
    }

    @Override
    public void setCarrying(PeerPath path, boolean on) {
        if (on) {
            if (!peers.contains(path) || !carrying.add(path)) {
                return;
            }
            if (carriers(path.remote()) == 1) {
                rt.neighbours().fdbAppend(vxlanIndex, MacAddress.ZERO, path.remote());
            }
        } else if (carrying.remove(path) && carriers(path.remote()) == 0) {
            ignoreAbsent(() -> rt.neighbours().fdbDelete(vxlanIndex, MacAddress.ZERO, path.remote()));
            forgetLearnt(path.remote());
            rt.bridgePorts().flushLearned(vxlanIndex);
        }
    }

    @Override
    public void purge(PeerPath path) {
        if (carriers(path.remote()) == 0) {
            forgetLearnt(path.remote());
        }
    }

    /** Deletes the device's learnt entries towards {@code remote} and the bridge's for those MACs. */
    private void forgetLearnt(InetAddress remote) {
        for (Neighbour n : rt.neighbours().fdbList(vxlanIndex)) {
            if (n.isPermanent() || n.mac() == null || !remote.equals(n.ip())) {
                continue;
            }
            ignoreAbsent(() -> rt.neighbours().fdbDelete(vxlanIndex, n.mac(), n.ip()));
            ignoreAbsent(() -> rt.bridgePorts().deleteEntry(vxlanIndex, n.mac()));
        }
    }

    @Override
    public void removePeer(PeerPath path) {
        setCarrying(path, false);
        if (!peers.remove(path)) {
            return;
        }
        for (PeerPath other : peers) {
            if (other.heartbeatMac() == path.heartbeatMac()) {
                return; // another connection to the same peer still uses it
            }
        }
        MacAddress mac = new MacAddress(path.heartbeatMac());
        ignoreAbsent(() -> rt.neighbours().fdbDelete(vxlanIndex, mac, null));
        ignoreAbsent(() -> rt.bridgePorts().deleteEntry(vxlanIndex, mac));
    }

    @Override
    public boolean sendHeartbeat(PeerPath path, ByteBuffer frame) {
        return !closed && tap.write(frame) > 0;
    }

    private int carriers(InetAddress remote) {
        int n = 0;
        for (PeerPath p : carrying) {
            if (p.remote().equals(remote)) {
                n++;
            }
        }
        return n;
    }

    private void readHeartbeats(HeartbeatSink sink) {
        ByteBuffer buf = ByteBuffer.allocateDirect(HeartbeatFrame.MAX_LENGTH);
        while (!closed) {
            buf.clear();
            int n;
            try {
                n = tap.read(buf);
            } catch (RuntimeException e) {
                if (!closed) {
                    log.warn("fastpath: reading heartbeats from {} failed: {}", config.heartbeatPort(), e.toString());
                }
                return;
            }
            if (n < 0) {
                return;
            }
            if (n == 0) {
                continue;
            }
            buf.flip();
            HeartbeatFrame.Heartbeat hb = HeartbeatFrame.decode(buf);
            if (hb != null && hb.destinationMac() == heartbeatMac) {
                sink.received(hb);
            }
        }
    }

    @Override
    public void forgetSleeveMacs() {
        if (sleevePortIndex > 0) {
            rt.bridgePorts().flushLearned(sleevePortIndex);
        }
    }

    @Override
    public void setSleeveFlooding(boolean on) {
        if (sleevePortIndex > 0) {
            rt.bridgePorts().setFlooding(sleevePortIndex, on);
        }
    }

    @Override
    public Map<String, Object> diagnostics() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("driver", kind());
        d.put("device", config.vxlanDevice());
        d.put("vni", VNI);
        d.put("udpPort", config.udpPort());
        d.put("mtu", config.mtu());
        d.put("heartbeatPort", config.heartbeatPort());
        d.put("heartbeatMac", FastPathFeature.mac(heartbeatMac));
        if (!closed) {
            try {
                List<String> flood = new ArrayList<>();
                int learnt = 0;
                for (Neighbour n : rt.neighbours().fdbList(vxlanIndex)) {
                    if (MacAddress.ZERO.equals(n.mac()) && n.ip() != null) {
                        flood.add(n.ip().getHostAddress());
                    } else if (!n.isPermanent()) {
                        learnt++;
                    }
                }
                d.put("floodTo", flood);
                d.put("learntMacs", learnt);
            } catch (RuntimeException e) {
                d.put("error", e.toString());
            }
        }
        return d;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            setSleeveFlooding(true); // sleeve carries everything from now on
        } catch (RuntimeException e) {
            log.warn("fastpath: could not restore flooding to sleeve's port: {}", e.toString());
        }
        tap.close();
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            rt.links().deleteIfExists(config.vxlanDevice());
        } catch (RuntimeException e) {
            log.warn("fastpath: could not delete {}: {}", config.vxlanDevice(), e.toString());
        }
        rt.close();
    }

    private static void ignoreAbsent(Runnable request) {
        try {
            request.run();
        } catch (KernelException e) {
            if (e.errno() != ENOENT) {
                throw e;
            }
        }
    }
}
