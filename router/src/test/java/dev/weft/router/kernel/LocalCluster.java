package dev.weft.router.kernel;

import dev.weft.gossip.api.PeerInfo;
import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.api.PeerUid;
import dev.weft.gossip.api.ShortId;
import dev.weft.gossip.spi.OverlayConnection;
import dev.weft.gossip.spi.OverlayConnectionParams;
import dev.weft.gossip.spi.OverlayEvents;
import dev.weft.gossip.spi.SessionKey;
import dev.weft.linux.api.NetNs;
import dev.weft.router.internal.dataplane.DataPlaneConfig;
import dev.weft.router.internal.dataplane.PeerRoutes;
import dev.weft.router.runtime.DataPlaneRuntime;
import dev.weft.sleeve.kernel.FakeMesh;
import dev.weft.sleeve.kernel.RealEnvironment;
import dev.weft.sleeve.kernel.Sh;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Routers' data planes on real kernel devices, in one JVM, without the gossip mesh: node
 * namespaces joined by veth pairs to a bridge in an underlay namespace, one {@link
 * DataPlaneRuntime} per node (bridge, sleeve TAP, forwarder, overlay switch), pod namespaces on
 * each node's bridge. Every pair of nodes gets an overlay connection through the switch's SPI, its
 * control messages carried in-process; routes are recomputed from the connections that are
 * established, as the mesh computes them. Everything is named with a per-run prefix and deleted by
 * {@link #close()}.
 */
public final class LocalCluster implements AutoCloseable {
    public final String prefix;
    public final List<Node> nodes = new ArrayList<>();
    private final String underlay;
    private final RealEnvironment env = new RealEnvironment();
    private final List<NetNs> namespaces = new ArrayList<>();
    private final Map<PeerName, Set<PeerName>> established = new ConcurrentHashMap<>();
    private final ExecutorService wire = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "cluster-control-wire");
        t.setDaemon(true);
        return t;
    });

    /** One node: its namespace, data plane, name and underlay address. */
    public static final class Node {
        public final int index;
        public final NetNs ns;
        public final PeerName name;
        public final String underlayIp;
        public final DataPlaneRuntime dataPlane;
        public final List<String> pods = new ArrayList<>();
        public final List<String> podIps = new ArrayList<>();
        /** How many of its pods the fast path took (plugged into the ODP datapath, no bridge). */
        public int podsPlugged;
        /** What the overlays hear of the mesh: peers (with short IDs, for the ODP fast path). */
        final FakeMesh mesh;

        Node(int index, NetNs ns, PeerName name, String underlayIp, DataPlaneRuntime dp, RealEnvironment env) {
            this.index = index;
            this.ns = ns;
            this.name = name;
            this.underlayIp = underlayIp;
            this.dataPlane = dp;
            this.mesh = new FakeMesh(name, env);
        }

        PeerInfo info(boolean local) {
            return new PeerInfo(
                    name,
                    new PeerUid(index + 1),
                    "n" + index,
                    Optional.of(ShortId.of(index + 1)),
                    1,
                    List.of(),
                    true,
                    local);
        }
    }

    /** What to build. */
    public record Options(int nodes, int podsPerNode, int podMtu, DataPlaneConfig config, List<SessionKey> keys) {
        public static Options of(int nodes, int pods) {
            return new Options(nodes, pods, DataPlaneConfig.DEFAULT_MTU, DataPlaneConfig.defaults(), List.of());
        }

        /** Encrypted with the same key everywhere (a shared password). */
        public Options encrypted() {
            return new Options(nodes, podsPerNode, podMtu, config, List.of(new SessionKey(new byte[32])));
        }

        public Options podMtu(int mtu) {
            return new Options(nodes, podsPerNode, mtu, config, keys);
        }

        public Options config(DataPlaneConfig c) {
            return new Options(nodes, podsPerNode, podMtu, c, keys);
        }

        /** Node {@code i} uses key {@code i % keys.size()} (different keys: a wrong password). */
        public Options keys(List<SessionKey> k) {
            return new Options(nodes, podsPerNode, podMtu, config, k);
        }
    }

    public LocalCluster(Options o) {
        this(o, randomPrefix());
    }

    private static String randomPrefix() {
        byte[] r = new byte[2];
        new SecureRandom().nextBytes(r);
        return "wk" + HexFormat.of().formatHex(r) + "-";
    }

    /** With a namespace prefix of the caller's (so its own cleanup finds them). */
    public LocalCluster(Options o, String prefix) {
        this.prefix = prefix;
        underlay = prefix + "ul";
        try {
            build(o);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private NetNs namespace(String suffix) {
        NetNs ns = NetNs.create(prefix + suffix);
        namespaces.add(ns);
        Sh.ns(ns.name(), "ip", "link", "set", "lo", "up");
        return ns;
    }

    private void build(Options o) {
        NetNs ul = namespace("ul");
        Sh.ns(ul.name(), "ip", "link", "add", "ul", "type", "bridge");
        Sh.ns(ul.name(), "ip", "link", "set", "ul", "up");
        for (int i = 0; i < o.nodes(); i++) {
            NetNs ns = namespace("n" + i);
            String ip = "10.250.0." + (i + 1);
            Sh.ok(
                    "ip", "link", "add", "eth0", "netns", ns.name(), "type", "veth", "peer", "name", "ul" + i, "netns",
                    ul.name());
            Sh.ns(ul.name(), "ip", "link", "set", "ul" + i, "master", "ul", "up");
            Sh.ns(ns.name(), "ip", "addr", "add", ip + "/24", "dev", "eth0");
            Sh.ns(ns.name(), "ip", "link", "set", "eth0", "up");
            PeerName name = PeerName.of(0x02_00_00_00_00_00L + i + 1);
            DataPlaneConfig c = o.config();
            DataPlaneRuntime dp = ns.call(() -> DataPlaneRuntime.start(name, c, List.of()));
            Node n = new Node(i, ns, name, ip, dp, env);
            dp.overlay().start(n.mesh);
            n.mesh.peerAdded(n.info(true));
            nodes.add(n);
            for (int p = 0; p < o.podsPerNode(); p++) {
                addPod(n, p, o.podMtu(), c.bridge());
            }
        }
        this.keys = o.keys();
    }

    private List<SessionKey> keys = List.of();

    /** Connects every pair of nodes (as a full mesh would); returns at once. */
    public LocalCluster connectAll() {
        for (Node a : nodes) {
            for (Node b : nodes) {
                if (a.index < b.index) {
                    connect(a, b, keys);
                }
            }
        }
        recomputeRoutes();
        return this;
    }

    /**
     * Connects nodes {@code i} and {@code j} only (for a partial mesh), and tells every node's
     * mesh view about every node (gossip would: a peer reached through others is reachable);
     * returns at once.
     */
    public LocalCluster connectPair(int i, int j) {
        connect(nodes.get(i), nodes.get(j), keys);
        for (Node a : nodes) {
            for (Node b : nodes) {
                if (a != b) {
                    a.mesh.peerAdded(b.info(false));
                }
            }
        }
        recomputeRoutes();
        return this;
    }

    private void addPod(Node n, int p, int mtu, String bridge) {
        NetNs pod = namespace("p" + n.index + p);
        String host = "vp" + n.index + "x" + p;
        String ip = "10.32." + (n.index + 1) + "." + (p + 1);
        Sh.ok(
                "ip",
                "link",
                "add",
                "eth0",
                "netns",
                pod.name(),
                "mtu",
                Integer.toString(mtu),
                "type",
                "veth",
                "peer",
                "name",
                host,
                "netns",
                n.ns.name());
        Sh.ns(n.ns.name(), "ip", "link", "set", host, "mtu", Integer.toString(mtu), "up");
        // as the router's attach does: into the fast path when it takes pods (ODP), else the bridge
        if (!ClusterMain.bridgedPods
                && n.dataPlane.fastPath().map(fp -> fp.attachPod(host)).orElse(false)) {
            n.podsPlugged++;
        } else {
            Sh.ns(n.ns.name(), "ip", "link", "set", host, "master", bridge);
        }
        Sh.ns(pod.name(), "ip", "addr", "add", ip + "/16", "dev", "eth0");
        Sh.ns(pod.name(), "ip", "link", "set", "eth0", "up");
        n.pods.add(pod.name());
        n.podIps.add(ip);
    }

    private void connect(Node a, Node b, List<SessionKey> keys) {
        Map<String, String> fa = new HashMap<>();
        Map<String, String> fb = new HashMap<>();
        a.dataPlane.overlay().addFeaturesTo(fa);
        b.dataPlane.overlay().addFeaturesTo(fb);
        InetSocketAddress ta = new InetSocketAddress(addr(a.underlayIp), 6783);
        InetSocketAddress tb = new InetSocketAddress(addr(b.underlayIp), 45000 + a.index);
        long uid = new SecureRandom().nextLong();
        OverlayConnection[] ca = new OverlayConnection[1];
        OverlayConnection[] cb = new OverlayConnection[1];
        try {
            ca[0] = a.dataPlane
                    .overlay()
                    .prepareConnection(new OverlayConnectionParams(
                            b.name,
                            "n" + b.index,
                            ta,
                            tb,
                            true,
                            uid,
                            key(keys, a),
                            m -> wire.execute(() -> cb[0].controlMessage(m)),
                            fb,
                            events(a, b)));
            cb[0] = b.dataPlane
                    .overlay()
                    .prepareConnection(new OverlayConnectionParams(
                            a.name,
                            "n" + a.index,
                            tb,
                            ta,
                            false,
                            uid,
                            key(keys, b),
                            m -> wire.execute(() -> ca[0].controlMessage(m)),
                            fa,
                            events(b, a)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        a.mesh.peerAdded(b.info(false));
        b.mesh.peerAdded(a.info(false));
        ca[0].confirm();
        cb[0].confirm();
    }

    private static java.util.Optional<SessionKey> key(List<SessionKey> keys, Node n) {
        return keys.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(keys.get(n.index % keys.size()));
    }

    private OverlayEvents events(Node self, Node remote) {
        return new OverlayEvents() {
            @Override
            public void established() {
                established
                        .computeIfAbsent(self.name, k -> ConcurrentHashMap.newKeySet())
                        .add(remote.name);
                recomputeRoutes();
            }

            @Override
            public void failed(String reason) {
                Set<PeerName> s = established.get(self.name);
                if (s != null) {
                    s.remove(remote.name);
                }
                recomputeRoutes();
            }
        };
    }

    /** Routes use connections both ends report established (the mesh's symmetric rule). */
    private synchronized void recomputeRoutes() {
        Map<PeerName, Set<PeerName>> symmetric = new HashMap<>();
        established.forEach((p, ns) -> {
            for (PeerName n : ns) {
                if (established.getOrDefault(n, Set.of()).contains(p)) {
                    symmetric.computeIfAbsent(p, k -> new HashSet<>()).add(n);
                }
            }
        });
        List<PeerName> all = nodes.stream().map(n -> n.name).toList();
        for (Node n : nodes) {
            n.dataPlane.forwarder().routes(PeerRoutes.of(n.name, all, new MeshRoutes(n.name, symmetric)));
        }
    }

    /** Waits until every pair is established both ways, or {@code timeout}; true if they are. */
    public boolean awaitFullMesh(Duration timeout) throws InterruptedException {
        return awaitLinks(nodes.size() * (nodes.size() - 1), timeout);
    }

    /** Waits until {@code directed} one-way established links exist. */
    public boolean awaitLinks(int directed, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            int n = established.values().stream().mapToInt(Set::size).sum();
            if (n >= directed) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    public int establishedLinks() {
        return established.values().stream().mapToInt(Set::size).sum();
    }

    private static InetAddress addr(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public String underlayNamespace() {
        return underlay;
    }

    private boolean closed;

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Node n : nodes) {
            try {
                n.dataPlane.close();
            } catch (RuntimeException e) {
                // keep cleaning
            }
        }
        wire.shutdownNow();
        env.close();
        for (NetNs ns : namespaces) {
            try {
                ns.close();
            } catch (RuntimeException e) {
                // keep cleaning
            }
            NetNs.delete(ns.name());
        }
    }
}
