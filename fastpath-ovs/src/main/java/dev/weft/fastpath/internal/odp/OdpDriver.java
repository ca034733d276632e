package dev.weft.fastpath.internal.odp;

import dev.weft.fastpath.api.FastPathConfig;
import dev.weft.fastpath.internal.driver.Driver;
import dev.weft.fastpath.internal.driver.PeerPath;
import dev.weft.gossip.api.PeerName;
import dev.weft.linux.api.KernelException;
import dev.weft.linux.api.Link;
import dev.weft.linux.api.LinkSpec;
import dev.weft.linux.api.RtNetlink;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fast path on the Open vSwitch kernel datapath. The datapath has one VXLAN vport, sleeve's
 * TAP as a netdev vport (taken off the bridge: the {@link OdpForwarder} keeps the split horizon
 * the bridge's port isolation kept before), a veth pair to the Linux bridge (its {@code -b} end on
 * the bridge, its {@code -d} end a netdev vport) for the host and for pods attached to the bridge,
 * and pods' host veths {@linkplain #attachPod plugged in directly} (Weave's "fastdp without
 * bridge": their frames cross no bridge and no extra veth pair). The forwarder answers misses on
 * the upcall loop's thread; this class turns the overlay's decisions into tasks on that thread.
 *
 * <p>Heartbeats are executed into the tunnel with both MACs zero (the VNI carries both short IDs)
 * and arrive as zero-MAC misses from any peer; pod frames go only to carried peers with short IDs.
 */
public final class OdpDriver implements Driver {
    private static final Logger log = LoggerFactory.getLogger(OdpDriver.class);

    /**
     * What {@link #setUp} made: {@code sleeveVport} is -1 without a sleeve port; {@code pods} are
     * leftover pod vports of a previous run, kept (name to port number).
     */
    public record Ports(
            OdpDatapath datapath,
            int netdevPort,
            int vxlanPort,
            String bridgePort,
            int bridgePortIndex,
            int sleeveVport,
            int upcallPid,
            Map<String, Integer> pods) {}

    private final OdpClient client;
    private final RtNetlink rt;
    private final FastPathConfig config;
    private final Ports ports;
    private final OdpForwarder forwarder;
    private final Executor loop;
    private final Runnable stopLoop;
    private final Set<PeerPath> peers = new LinkedHashSet<>();
    private final Set<PeerPath> carrying = new LinkedHashSet<>();
    /** Pods plugged into the datapath: host veth name to port number. */
    private final Map<String, Integer> pods = new ConcurrentHashMap<>();
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
        this.pods.putAll(ports.pods());
    }

    /**
     * Makes (or sweeps) the datapath in the calling thread's namespace: a leftover datapath of the
     * configured name keeps its own port and its pods' vports (other netdev vports: pods plugged in
     * by a previous run, still there) and loses every flow; a leftover veth is replaced. Then the
     * veth pair between bridge and datapath, its netdev vport, the VXLAN vport and sleeve's TAP
     * (taken off the bridge) as a netdev vport, all sending misses to {@code upcallPid}.
     */
    public static Ports setUp(OdpClient client, RtNetlink rt, FastPathConfig config, int upcallPid) {
        Link bridge = rt.links().get(config.bridge());
        String name = config.datapath();
        OdpDatapath dp = client.findDatapath(name).orElse(null);
        String bridgeSide = name + "-b";
        String datapathSide = name + "-d";
        Map<String, Integer> pods = new LinkedHashMap<>();
        if (dp != null) {
            List<String> swept = new ArrayList<>();
            for (OdpVport v : client.vports(dp)) {
                if (isPod(v, config)) {
                    client.setVportUpcallPid(dp, v.portNo(), upcallPid);
                    pods.put(v.name(), v.portNo());
                } else if (v.portNo() != 0) {
                    client.deleteVport(dp, v.portNo());
                    swept.add(v.toString());
                }
            }
            int flows = client.flows(dp).size();
            client.flushFlows(dp);
            log.info(
                    "fastpath: reusing datapath {}: removed leftover vports {} and {} flows, kept pods {}",
                    name,
                    swept,
                    flows,
                    pods.keySet());
        } else {
            dp = client.createDatapath(name, upcallPid);
        }
        // a VXLAN-driver run's devices would hold the UDP port the VXLAN vport needs
        for (String leftover : List.of(config.vxlanDevice(), config.heartbeatPort())) {
            if (rt.links().deleteIfExists(leftover)) {
                log.info("fastpath: removed {}, left by a run of the vxlan driver", leftover);
            }
        }
        rt.links().deleteIfExists(bridgeSide);
        rt.links()
                .create(LinkSpec.veth(bridgeSide, datapathSide)
                        .mtu(config.mtu())
                        .master(bridge.index())
                        .up());
        rt.links().setUp(datapathSide);
        int bridgePortIndex = rt.links().get(bridgeSide).index();
        rt.bridgePorts().setIsolated(bridgePortIndex, true);
        OdpVport netdev = client.createVport(dp, OdpVportSpec.netdev(datapathSide), upcallPid);
        OdpVport vxlan =
                client.createVport(dp, OdpVportSpec.vxlan("vxlan-" + config.udpPort(), config.udpPort()), upcallPid);
        int sleeveVport = -1;
        if (!config.sleevePort().isEmpty()) {
            Link tap = rt.links().get(config.sleevePort());
            if (tap.masterIndex() == bridge.index()) {
                rt.links().setMaster(config.sleevePort(), 0);
            }
            sleeveVport = client.createVport(dp, OdpVportSpec.netdev(config.sleevePort()), upcallPid)
                    .portNo();
        }
        log.info(
                "fastpath: odp driver on {}: datapath {} with {} and {}, sleeve port {} ({}), bridge port {}",
                config.bridge(),
                name,
                netdev,
                vxlan,
                config.sleevePort(),
                sleeveVport,
                bridgeSide);
        return new Ports(
                dp, netdev.portNo(), vxlan.portNo(), bridgeSide, bridgePortIndex, sleeveVport, upcallPid, pods);
    }

    /**
     * Whether {@code v} is a pod's host veth plugged in by {@link #attachPod}: a netdev vport that
     * is neither the datapath's own port, its veth to the bridge nor sleeve's TAP.
     */
    static boolean isPod(OdpVport v, FastPathConfig config) {
        return v.portNo() != 0
                && v.type() == OdpUapi.VPORT_TYPE_NETDEV
                && !v.name().equals(config.datapath() + "-d")
                && !v.name().equals(config.sleevePort());
    }

    /**
     * For a router that will not run the ODP driver: removes the datapath a previous run left
     * (killed, so it never closed), after moving every pod plugged into it back onto the bridge
     * ({@code master}, up), where pods live without the ODP driver; also its veth to the bridge.
     * A pod veth that is gone is skipped. Sleeve's TAP of that run died with its process. Calling
     * thread's namespace; blocks on netlink. Idempotent.
     *
     * @return the pods moved onto the bridge (empty if there was no datapath)
     */
    public static List<String> release(OdpClient client, RtNetlink rt, FastPathConfig config) {
        Optional<OdpDatapath> found = client.findDatapath(config.datapath());
        if (found.isEmpty()) {
            return List.of();
        }
        OdpDatapath dp = found.get();
        List<String> moved = new ArrayList<>();
        for (OdpVport v : client.vports(dp)) {
            if (isPod(v, config)) {
                client.deleteVport(dp, v.portNo());
                if (toBridge(rt, v.name(), config.bridge())) {
                    moved.add(v.name());
                }
            } else if (v.portNo() != 0 && v.name().equals(config.sleevePort())) {
                // still there only if that TAP outlived its run: back on the bridge, isolated
                client.deleteVport(dp, v.portNo());
                if (toBridge(rt, v.name(), config.bridge())) {
                    rt.bridgePorts().setIsolated(rt.links().get(v.name()).index(), true);
                }
            }
        }
        client.deleteDatapath(dp);
        rt.links().deleteIfExists(config.datapath() + "-b");
        log.info(
                "fastpath: removed datapath {} left by a previous run; pods moved back onto bridge {}: {}",
                config.datapath(),
                config.bridge(),
                moved);
        return moved;
    }

    /** Puts {@code ifname} (out of any datapath) on the bridge and up; false if it is gone. */
    private static boolean toBridge(RtNetlink rt, String ifname, String bridge) {
        try {
            rt.links().setMaster(ifname, bridge);
            rt.links().setUp(ifname);
            return true;
        } catch (KernelException e) {
            if (e.notFound()) {
                return false;
            }
            throw e;
        }
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

    /**
     * Plugs a pod's host veth ({@code ifname}, in this namespace, on no bridge or on the router's
     * bridge, which it is then taken off) into the datapath as a netdev vport and waits until the
     * forwarder knows the port (at most 5 s). Any thread; blocks on netlink and on the upcall
     * loop. Idempotent.
     */
    @Override
    public boolean attachPod(String ifname) {
        if (closed) {
            throw new IllegalStateException("the fast path is closed");
        }
        Integer have = pods.get(ifname);
        if (have != null && !isVport(have, ifname)) {
            // a new veth of a known name: the old one went with its pod's namespace, and its vport
            pods.remove(ifname, have);
            have = null;
        }
        int port;
        if (have != null) {
            port = have;
        } else {
            Link pod = rt.links().get(ifname);
            boolean bridged = pod.masterIndex() != 0
                    && pod.masterIndex() == rt.links().get(config.bridge()).index();
            if (bridged) {
                rt.links().setMaster(ifname, 0);
            }
            try {
                port = client.createVport(ports.datapath(), OdpVportSpec.netdev(ifname), ports.upcallPid())
                        .portNo();
            } catch (RuntimeException e) {
                if (bridged) {
                    toBridge(rt, ifname, config.bridge()); // as it was
                }
                throw e;
            }
        }
        pods.put(ifname, port);
        onLoop(() -> forwarder.addLocalPort(port));
        return true;
    }

    /** Whether the datapath's port {@code port} is the netdev {@code ifname} (one vport dump). */
    private boolean isVport(int port, String ifname) {
        for (OdpVport v : client.vports(ports.datapath())) {
            if (v.portNo() == port && v.name().equals(ifname)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Unplugs a pod's host veth: deletes its vport (the kernel also does when the veth goes) and
     * the forwarder forgets the port and its MACs, unless the kernel already gave that port number
     * to another pod. Any thread; blocks. False if it was not plugged.
     */
    @Override
    public boolean detachPod(String ifname) {
        Integer port = pods.remove(ifname);
        if (port == null || closed) {
            return false;
        }
        try {
            // By name: if the veth went with its pod's namespace, the kernel dropped its vport and
            // may have given the number to a pod plugged in since (it reuses the lowest free one).
            if (isVport(port, ifname)) {
                client.deleteVport(ports.datapath(), port);
            }
        } finally {
            if (!pods.containsValue(port)) {
                onLoop(() -> forwarder.removeLocalPort(port));
            }
        }
        return true;
    }

    @Override
    public boolean hasPod(String ifname) {
        return !closed && pods.containsKey(ifname);
    }

    private void onLoop(Runnable task) {
        try {
            CompletableFuture.runAsync(task, loop).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the fast path's upcall loop", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the fast path's upcall loop did not take the change: " + e, e);
        }
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

    /** Sleeve's TAP is a datapath port (when there is one): the forwarder keeps its MACs. */
    @Override
    public void forgetSleeveMacs() {
        if (ports.sleeveVport() >= 0) {
            loop.execute(forwarder::forgetSleeveMacs);
        }
    }

    /** Sleeve's TAP is a datapath port (when there is one): the forwarder decides its floods. */
    @Override
    public void setSleeveFlooding(boolean on) {
        if (ports.sleeveVport() >= 0) {
            loop.execute(() -> forwarder.setSleeveFlooding(on));
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
        d.put("pods", new TreeMap<>(pods));
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
        stopLoop.run();
        // Pods stay attached while no router runs, on the bridge (where a restart without the ODP
        // driver expects them, and where local pods still reach each other); a restart with it
        // plugs them in again.
        for (Map.Entry<String, Integer> pod : pods.entrySet()) {
            try {
                client.deleteVport(ports.datapath(), pod.getValue());
                toBridge(rt, pod.getKey(), config.bridge());
            } catch (RuntimeException e) {
                log.warn("fastpath: could not move pod {} back onto the bridge: {}", pod.getKey(), e.toString());
            }
        }
        try {
            client.deleteDatapath(ports.datapath());
            rt.links().deleteIfExists(ports.bridgePort());
            if (ports.sleeveVport() >= 0) {
                // sleeve's TAP back on the bridge, isolated as the VXLAN driver and sleeve expect
                rt.links().setMaster(config.sleevePort(), config.bridge());
                rt.bridgePorts().setIsolated(rt.links().get(config.sleevePort()).index(), true);
            }
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
