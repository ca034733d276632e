package dev.weft.fastpath.testing;

import dev.weft.fastpath.api.FastPath;
import dev.weft.fastpath.api.FastPathConfig;
import dev.weft.fastpath.api.FastPathStatus;
import dev.weft.fastpath.runtime.FastPathRuntime;
import dev.weft.gossip.api.PeerInfo;
import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.api.PeerUid;
import dev.weft.gossip.api.ShortId;
import dev.weft.gossip.spi.Overlay;
import dev.weft.gossip.spi.OverlayConnection;
import dev.weft.gossip.spi.OverlayConnectionParams;
import dev.weft.gossip.spi.OverlayEvents;
import dev.weft.linux.api.LinkSpec;
import dev.weft.linux.api.NetNs;
import dev.weft.linux.api.RtNetlink;
import dev.weft.linux.api.Tap;
import dev.weft.linux.api.TapConfig;
import dev.weft.sleeve.kernel.FakeMesh;
import dev.weft.sleeve.kernel.RealEnvironment;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;

/**
 * Router nodes made of network namespaces, for the fast path on a real kernel: an underlay
 * namespace with a bridge joins the nodes ({@code 192.168.240.N}); each node has the bridge {@code
 * weft}, a TAP standing in for sleeve's port (its reader counts every frame the bridge hands the
 * router's userspace), and a real {@link FastPath} started by {@link FastPathRuntime}; pods are
 * namespaces on the node's bridge ({@code 10.32.0.N/16}). Connections are made by hand through the
 * overlay SPI with an in-memory control channel (no mesh). Every namespace has a per-run prefix and
 * is deleted by {@link #close()}.
 */
public final class FastPathLab implements AutoCloseable {
    public static final String SLEEVE_PORT = "weft-slv";

    private final String prefix;
    private final FastPathConfig config;
    private final RealEnvironment env = new RealEnvironment();
    private final List<String> namespaces = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private final List<NetNs> open = new ArrayList<>();
    private final SecureRandom random = new SecureRandom();

    /** One router node. */
    public final class Node {
        public final int id;
        public final NetNs ns;
        public final PeerName name;
        public final Inet4Address address;
        public final FakeMesh mesh;
        public final FastPath fastPath;
        public final SleevePort sleeve;
        public final RtNetlink rt;
        public final String bridge = config.bridge();
        final java.util.Map<Integer, OverlayConnection> connections = new java.util.concurrent.ConcurrentHashMap<>();

        Node(int id, NetNs ns, FastPath fastPath, SleevePort sleeve, RtNetlink rt) {
            this.id = id;
            this.ns = ns;
            this.name = PeerName.of(0x02_00_00_00_00_00L + id);
            this.address = ipv4("192.168.240." + id);
            this.mesh = new FakeMesh(name, env);
            this.fastPath = fastPath;
            this.sleeve = sleeve;
            this.rt = rt;
        }

        public Overlay overlay() {
            return fastPath.overlay();
        }

        /** The status line of the fast path to node {@code peer}, if there is a connection. */
        public Optional<FastPathStatus.Link> link(Node peer) {
            return fastPath.status().links().stream()
                    .filter(l -> l.peer().equals(peer.name))
                    .findFirst();
        }

        /** "healthy", "unhealthy", "pending" or "none". */
        public String state(Node peer) {
            return link(peer).map(FastPathStatus.Link::state).orElse("none");
        }

        public OverlayConnection connection(Node peer) {
            return connections.get(peer.id);
        }

        PeerInfo info(boolean local) {
            return new PeerInfo(
                    name, new PeerUid(id), "n" + id, Optional.of(ShortId.of(id)), 1, List.of(), true, local);
        }

        @Override
        public String toString() {
            return "n" + id;
        }
    }

    /** Reads sleeve's stand-in TAP: every frame the bridge hands to userspace. */
    public static final class SleevePort implements AutoCloseable {
        /** One frame seen: EtherType, MACs, and for IPv4 the destination address. */
        public record Seen(int type, long source, long destination, String ipv4Destination) {
            @Override
            public String toString() {
                return String.format(
                        java.util.Locale.ROOT,
                        "%04x %012x->%012x %s",
                        type,
                        source,
                        destination,
                        ipv4Destination == null ? "" : ipv4Destination);
            }
        }

        private final Tap tap;
        private final Thread reader;
        public final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();

        SleevePort(Tap tap) {
            this.tap = tap;
            this.reader = Thread.ofPlatform().daemon().name("sleeve-stand-in").unstarted(this::read);
            reader.start();
        }

        private void read() {
            ByteBuffer b = ByteBuffer.allocateDirect(70_000);
            while (true) {
                b.clear();
                int n;
                try {
                    n = tap.read(b);
                } catch (RuntimeException e) {
                    return;
                }
                if (n < 0) {
                    return;
                }
                if (n < 14) {
                    continue;
                }
                int type = b.getShort(12) & 0xffff;
                String ip = type == 0x0800 && n >= 34
                        ? (b.get(30) & 0xff) + "." + (b.get(31) & 0xff) + "." + (b.get(32) & 0xff) + "."
                                + (b.get(33) & 0xff)
                        : null;
                seen.add(new Seen(type, mac(b, 6), mac(b, 0), ip));
            }
        }

        private static long mac(ByteBuffer b, int at) {
            return ((b.getShort(at) & 0xffffL) << 32) | (b.getInt(at + 2) & 0xffff_ffffL);
        }

        /**
         * Frames that came from neither the node's bridge device nor this TAP device (their own
         * host stacks send IPv6 neighbour discovery and MLD: those are no pod frames).
         */
        public List<Seen> podFrames(Node node) {
            long bridge = node.rt.links().get(node.bridge).mac().bits();
            long self = node.rt.links().get(SLEEVE_PORT).mac().bits();
            return seen.stream()
                    .filter(f -> f.source() != bridge && f.source() != self)
                    .toList();
        }

        /** IPv4 destinations of the frames seen. */
        public List<String> ipv4Destinations() {
            return seen.stream()
                    .map(Seen::ipv4Destination)
                    .filter(java.util.Objects::nonNull)
                    .toList();
        }

        /** Forgets what was seen, after the reader drained what the TAP had queued (200 ms). */
        public void reset() {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            seen.clear();
        }

        @Override
        public void close() {
            tap.close();
        }
    }

    public FastPathLab(FastPathConfig config) {
        byte[] r = new byte[2];
        random.nextBytes(r);
        this.prefix = "wf" + HexFormat.of().formatHex(r) + "-";
        this.config = config.withSleevePort(SLEEVE_PORT);
        NetNs underlay = namespace("u");
        try (RtNetlink rt = RtNetlink.open(underlay)) {
            rt.links().create(LinkSpec.bridge("ul").up());
        }
    }

    /** The configuration every node's fast path starts with (sleeve's port set). */
    public FastPathConfig config() {
        return config;
    }

    public String prefix() {
        return prefix;
    }

    /** Starts node {@code id} (1..99). */
    public Node node(int id) {
        NetNs ns = namespace("n" + id);
        Sh.ok("ip -n " + prefix + "u link add ul" + id + " master ul up type veth peer name eth0 netns " + prefix + "n"
                + id);
        Sh.ok("ip -n " + prefix + "n" + id + " addr add 192.168.240." + id + "/24 dev eth0 && ip -n " + prefix + "n"
                + id + " link set eth0 up && ip -n " + prefix + "n" + id + " link set lo up");
        RtNetlink rt = RtNetlink.open(ns);
        rt.links().create(LinkSpec.bridge(config.bridge()).up());
        Tap tap = ns.call(() -> Tap.open(TapConfig.named(SLEEVE_PORT)));
        rt.links().setMtu(SLEEVE_PORT, config.mtu());
        rt.links().setMaster(SLEEVE_PORT, config.bridge());
        rt.links().setUp(SLEEVE_PORT);
        SleevePort sleeve = new SleevePort(tap);
        FastPath fp;
        try {
            fp = ns.call(() -> FastPathRuntime.start(config));
        } catch (RuntimeException e) {
            sleeve.close();
            rt.close();
            throw e;
        }
        Node node = new Node(id, ns, fp, sleeve, rt);
        nodes.add(node);
        node.overlay().start(node.mesh);
        node.mesh.peerAdded(node.info(true));
        return node;
    }

    /** Pod {@code id} on {@code node}: namespace {@code p<id>} with 10.32.0.id/16 on its eth0. */
    public void pod(Node node, int id) {
        namespace("p" + id);
        Sh.ok("ip -n " + node.ns.name() + " link add pv" + id + " mtu " + config.mtu() + " master " + config.bridge()
                + " type veth peer name eth0 netns " + prefix + "p" + id);
        Sh.ok("ip -n " + node.ns.name() + " link set pv" + id + " up");
        Sh.ok("ip -n " + prefix + "p" + id + " addr add 10.32.0." + id + "/16 dev eth0 && ip -n " + prefix + "p" + id
                + " link set eth0 mtu " + config.mtu() + " up && ip -n " + prefix + "p" + id + " link set lo up");
    }

    /**
     * Pod {@code id} on {@code node} plugged straight into the fast path ({@link
     * FastPath#attachPod}; the bridge if the driver takes no pods): namespace {@code p<id>} with
     * 10.32.0.id/16. True if the fast path took it.
     */
    public boolean plugPod(Node node, int id) {
        return plugPod(node, id, node.fastPath);
    }

    /** {@link #plugPod(Node, int)} into {@code fastPath}, another one started in the node. */
    public boolean plugPod(Node node, int id, FastPath fastPath) {
        namespace("p" + id);
        Sh.ok("ip -n " + node.ns.name() + " link add pv" + id + " mtu " + config.mtu()
                + " type veth peer name eth0 netns " + prefix + "p" + id);
        Sh.ok("ip -n " + node.ns.name() + " link set pv" + id + " up");
        boolean plugged = fastPath.attachPod("pv" + id);
        if (!plugged) {
            Sh.ok("ip -n " + node.ns.name() + " link set pv" + id + " master " + config.bridge());
        }
        Sh.ok("ip -n " + prefix + "p" + id + " addr add 10.32.0." + id + "/16 dev eth0 && ip -n " + prefix + "p" + id
                + " link set eth0 mtu " + config.mtu() + " up && ip -n " + prefix + "p" + id + " link set lo up");
        return plugged;
    }

    /** Connects two nodes' overlays (a dials b) and confirms both ends, as the mesh would. */
    public void connect(Node a, Node b) throws Exception {
        long uid = random.nextLong();
        OverlayConnection[] toA = new OverlayConnection[1];
        OverlayConnection[] toB = new OverlayConnection[1];
        OverlayConnection ca = a.overlay().prepareConnection(params(a, b, true, uid, m -> deliver(toB, m)));
        OverlayConnection cb = b.overlay().prepareConnection(params(b, a, false, uid, m -> deliver(toA, m)));
        toB[0] = cb;
        toA[0] = ca;
        a.connections.put(b.id, ca);
        b.connections.put(a.id, cb);
        a.mesh.peerAdded(b.info(false));
        b.mesh.peerAdded(a.info(false));
        ca.confirm();
        cb.confirm();
    }

    /** Stops both ends of the connection between a and b. */
    public void disconnect(Node a, Node b) {
        a.connections.remove(b.id).stop();
        b.connections.remove(a.id).stop();
    }

    private static void deliver(OverlayConnection[] to, byte[] message) {
        OverlayConnection c = to[0];
        if (c != null) {
            c.controlMessage(message);
        }
    }

    private OverlayConnectionParams params(
            Node self, Node remote, boolean outbound, long uid, dev.weft.gossip.spi.OverlayControlSender control) {
        Map<String, String> features = new java.util.HashMap<>();
        remote.overlay().addFeaturesTo(features);
        return new OverlayConnectionParams(
                remote.name,
                "n" + remote.id,
                new InetSocketAddress(self.address, outbound ? 40000 + remote.id : 6783),
                new InetSocketAddress(remote.address, outbound ? 6783 : 40000 + self.id),
                outbound,
                uid,
                Optional.empty(),
                control,
                features,
                new OverlayEvents() {
                    @Override
                    public void established() {}

                    @Override
                    public void failed(String reason) {
                        throw new AssertionError("the fast path failed a connection: " + reason);
                    }
                });
    }

    /** Pings from pod {@code fromPod} to {@code ip}: true if {@code count} echo requests got a reply. */
    public boolean ping(int fromPod, String ip, int count) {
        return Sh.run(
                                "ip",
                                "netns",
                                "exec",
                                prefix + "p" + fromPod,
                                "ping",
                                "-c",
                                Integer.toString(count),
                                "-i",
                                "0.2",
                                "-W",
                                "2",
                                ip)
                        .exitCode()
                == 0;
    }

    /** Runs a shell line in node {@code node}'s namespace (iptables, bridge ...). */
    public String inNode(Node node, String line) {
        return Sh.ok("ip netns exec " + node.ns.name() + " " + line);
    }

    /** Waits up to {@code limit} for {@code condition}; false if it never held. */
    public static boolean await(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    private NetNs namespace(String suffix) {
        String name = prefix + suffix;
        namespaces.add(name);
        NetNs ns = NetNs.create(name);
        open.add(ns);
        return ns;
    }

    private static Inet4Address ipv4(String text) {
        try {
            return (Inet4Address) InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    @Override
    public void close() {
        for (Node n : nodes.reversed()) {
            for (OverlayConnection c : n.connections.values()) {
                c.stop();
            }
        }
        for (Node n : nodes.reversed()) {
            try {
                n.fastPath.close();
            } catch (RuntimeException e) {
                System.err.println("closing the fast path of " + n + ": " + e);
            }
            n.sleeve.close();
            n.rt.close();
        }
        env.close();
        for (NetNs ns : open) {
            ns.close();
        }
        for (String name : namespaces.reversed()) {
            NetNs.delete(name);
        }
    }
}
