package dev.weft.fastpath.internal.odp;

import dev.weft.fastpath.api.FastPathConfig;
import dev.weft.fastpath.internal.driver.Driver;
import dev.weft.fastpath.internal.driver.PeerPath;
import dev.weft.gossip.api.PeerName;
import dev.weft.linux.api.Link;
import dev.weft.linux.api.LinkSpec;
import dev.weft.linux.api.RtNetlink;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fast path on the Open vSwitch kernel datapath, bridged as Weave's default: pods stay on the
 * Linux bridge (so iptables and conntrack keep working), and a veth pair joins the bridge (its
 * {@code -b} end, an isolated port like sleeve's TAP) to the datapath (its {@code -d} end, a netdev
 * vport) which has one VXLAN vport. The {@link OdpForwarder} answers misses on the upcall loop's
 * thread; this class turns the overlay's decisions into tasks on that thread.
 *
 * <p>Heartbeats are executed into the tunnel with both MACs zero (the VNI carries both short IDs)
 * and arrive as zero-MAC misses from any peer; pod frames go only to carried peers with short IDs.
 */
public final class OdpDriver implements Driver {
    private static final Logger log = LoggerFactory.getLogger(OdpDriver.class);

    /** What {@link #setUp} made. */
    public record Ports(OdpDatapath datapath, int netdevPort, int vxlanPort, String bridgePort, int bridgePortIndex) {}

    private final OdpClient client;
    private final RtNetlink rt;
    private final FastPathConfig config;
    private final Ports ports;
    private final OdpForwarder forwarder;
    private final Executor loop;
    private final Runnable stopLoop;
    private final int sleevePortIndex;
    private final Set<PeerPath> peers = new LinkedHashSet<>();
    private final Set<PeerPath> carrying = new LinkedHashSet<>();
    // Written and read on the overlay's actor; diagnostics() reads them from any thread.
    private volatile Map<PeerName, Integer> shortIds = Map.of();
    private volatile int selfShortId = -1;
    private volatile boolean closed;

    /**
     * @param loop runs tasks on the upcall loop's thread (the forwarder's actor)
     * @param stopLoop stops the upcall loop and waits for it
     */
    public OdpDriver(
            OdpClient client,
            RtNetlink rt,
            FastPathConfig config,
            Ports ports,
            OdpForwarder forwarder,
            Executor loop,
            Runnable stopLoop) {
        this.client = client;
        this.rt = rt;
        this.config = config;
        this.ports = ports;
        this.forwarder = forwarder;
        this.loop = loop;
        this.stopLoop = stopLoop;
        this.sleevePortIndex = config.sleevePort().isEmpty()
                ? -1
                : rt.links().get(config.sleevePort()).index();
    }

    /**
     * Makes (or sweeps) the datapath in the calling thread's namespace: a leftover datapath of the
     * configured name keeps only its own port and loses every flow; a leftover veth is replaced.
     * Then the veth pair between bridge and datapath, its netdev vport and the VXLAN vport, both
     * sending misses to {@code upcallPid}, and sleeve's port isolated.
     */
    public static Ports setUp(OdpClient client, RtNetlink rt, FastPathConfig config, int upcallPid) {
        Link bridge = rt.links().get(config.bridge());
        String name = config.datapath();
        OdpDatapath dp = client.findDatapath(name).orElse(null);
        if (dp != null) {
            List<String> swept = new ArrayList<>();
            for (OdpVport v : client.vports(dp)) {
                if (v.portNo() != 0) {
                    client.deleteVport(dp, v.portNo());
                    swept.add(v.toString());
                }
            }
            int flows = client.flows(dp).size();
            client.flushFlows(dp);
            log.info("fastpath: reusing datapath {}: removed leftover vports {} and {} flows", name, swept, flows);
        } else {
            dp = client.createDatapath(name, upcallPid);
        }
        String bridgeSide = name + "-b";
        String datapathSide = name + "-d";
        rt.links().deleteIfExists(bridgeSide);
        rt.links()
                .create(LinkSpec.veth(bridgeSide, datapathSide)
                        .mtu(config.mtu())
                        .master(bridge.index())
                        .up());
        rt.links().setUp(datapathSide);
        int bridgePortIndex = rt.links().get(bridgeSide).index();
        rt.bridgePorts().setIsolated(bridgePortIndex, true);
        if (!config.sleevePort().isEmpty()) {
            rt.bridgePorts().setIsolated(rt.links().get(config.sleevePort()).index(), true);
        }
        OdpVport netdev = client.createVport(dp, OdpVportSpec.netdev(datapathSide), upcallPid);
        OdpVport vxlan =
                client.createVport(dp, OdpVportSpec.vxlan("vxlan-" + config.udpPort(), config.udpPort()), upcallPid);
        log.info(
                "fastpath: odp driver on {}: datapath {} with {} and {}, bridge port {}",
                config.bridge(),
                name,
                netdev,
                vxlan,
                bridgeSide);
        return new Ports(dp, netdev.portNo(), vxlan.portNo(), bridgeSide, bridgePortIndex);
    }

    @Override
    public String kind() {
        return "odp";
    }

    @Override
    public String port() {
        return ports.bridgePort();
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
        return 0;
    }

    @Override
    public boolean needsShortIds() {
        return true;
    }

    @Override
    public void shortIdsChanged(int self, Map<PeerName, Integer> peerIds) {
        selfShortId = self;
        shortIds = peerIds;
        pushPeers();
    }

    @Override
    public void addPeer(PeerPath path) {
        peers.add(path);
    }

    @Override
    public void setCarrying(PeerPath path, boolean on) {
        boolean changed = on ? peers.contains(path) && carrying.add(path) : carrying.remove(path);
        if (!changed) {
            return;
        }
        pushPeers();
        if (!on) {
            rt.bridgePorts().flushLearned(ports.bridgePortIndex());
        }
    }

    /** Nothing to do: the forwarder drops frames from peers it does not carry, so it learns none. */
    @Override
    public void purge(PeerPath path) {}

    @Override
    public void removePeer(PeerPath path) {
        setCarrying(path, false);
        peers.remove(path);
    }

    @Override
    public boolean sendHeartbeat(PeerPath path, ByteBuffer frame) {
        Integer peerId = shortIds.get(path.peer());
        int self = selfShortId;
        if (closed || peerId == null || self < 0) {
            return false; // no VNI without both short IDs
        }
        ByteBuffer copy = ByteBuffer.allocate(frame.remaining());
        copy.put(frame.duplicate()).flip();
        int ip = PeerPath.ipv4(path.remote());
        loop.execute(() -> forwarder.sendHeartbeat(peerId, ip, copy));
        return true;
    }

    /** The carried peers with short IDs, to the forwarder (which flushes flows on any change). */
    private void pushPeers() {
        TreeMap<Integer, Integer> set = new TreeMap<>();
        for (PeerPath p : carrying) {
            Integer id = shortIds.get(p.peer());
            if (id != null) {
                set.put(id, PeerPath.ipv4(p.remote()));
            }
        }
        int self = selfShortId;
        Map<Integer, Integer> peerSet = self < 0 ? Map.of() : Map.copyOf(set);
        loop.execute(() -> {
            if (self >= 0) {
                forwarder.setLocalShortId(self);
            }
            forwarder.setPeers(peerSet);
        });
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
    public Map<String, Long> counters() {
        if (closed) {
            return Map.of();
        }
        try {
            OdpDatapathStats s = client.datapathStats(ports.datapath());
            Map<String, Long> c = new LinkedHashMap<>();
            c.put("hit", s.hit());
            c.put("missed", s.missed());
            c.put("lost", s.lost());
            c.put("flows", s.flows());
            return c;
        } catch (RuntimeException e) {
            log.debug("fastpath: datapath stats: {}", e.toString());
            return Map.of();
        }
    }

    @Override
    public Map<String, Object> diagnostics() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("driver", kind());
        d.put("datapath", ports.datapath().name());
        d.put("bridgePort", ports.bridgePort());
        d.put("udpPort", config.udpPort());
        d.put("mtu", config.mtu());
        d.put("shortId", selfShortId);
        if (!closed) {
            try {
                List<String> vports = new ArrayList<>();
                for (OdpVport v : client.vports(ports.datapath())) {
                    vports.add(v.toString());
                }
                d.put("vports", vports);
                d.put("flows", client.flows(ports.datapath()).size());
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
        stopLoop.run();
        try {
            client.deleteDatapath(ports.datapath());
            rt.links().deleteIfExists(ports.bridgePort());
        } catch (RuntimeException e) {
            log.warn(
                    "fastpath: removing datapath {} failed: {}",
                    ports.datapath().name(),
                    e.toString());
        }
        client.close();
        rt.close();
    }
}
