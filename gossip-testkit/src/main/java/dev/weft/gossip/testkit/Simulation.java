package dev.weft.gossip.testkit;

import dev.weft.gossip.api.MeshConfig;
import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.api.PeerUid;
import dev.weft.gossip.internal.core.LocalMesh;
import dev.weft.gossip.internal.topology.RecordCache;
import dev.weft.gossip.spi.NullOverlay;
import dev.weft.gossip.spi.Overlay;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * A deterministic simulation of a whole mesh in one thread: virtual time, an in-memory network with
 * latency, partitions, drops and reorders, and real {@code LocalMesh} peers (the same protocol code
 * the router runs) on simulated hosts. Everything random derives from one seed, printed when the
 * simulation starts, so a failing run replays exactly: pass {@code -Dweft.seed=N}.
 *
 * <pre>{@code
 * Simulation sim = Simulation.create();                 // seed from -Dweft.seed or fresh, printed
 * List<SimPeer> peers = sim.addPeers(100);
 * for (SimPeer p : peers) p.mesh().registerChannel("IPallocation", new MyGossiper(p), ...);
 * sim.joinRandomly(peers, 2);                           // each dials 2 random earlier peers
 * sim.runUntil(sim::topologyConverged, Duration.ofMinutes(1));
 * sim.partition(peers.subList(0, 50), peers.subList(50, 100));
 * sim.advance(Duration.ofMinutes(2));
 * sim.heal();
 * }</pre>
 *
 * <p>Drive it only from the thread that created it, never from inside a task.
 */
public final class Simulation {

    /** The system property that fixes the seed. */
    public static final String SEED_PROPERTY = "weft.seed";

    private static final long MAX_EVENTS = 200_000_000L;
    private static final SecureRandom SEEDS = new SecureRandom();

    private final long seed;
    private final SimLoop loop = new SimLoop();
    private final SplittableRandom random;
    private final SimNetwork net;
    private final RecordCache recordCache = RecordCache.bounded(1 << 16);
    private final List<SimPeer> peers = new ArrayList<>();
    private boolean failFast = true;
    private int hosts;
    private SimMembership membership;

    private Simulation(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.net = new SimNetwork(loop, random.split());
    }

    /** A simulation with this seed (printed to stderr). */
    public static Simulation withSeed(long seed) {
        System.err.println("simulation seed=" + seed + " (replay with -D" + SEED_PROPERTY + "=" + seed + ")");
        return new Simulation(seed);
    }

    /** A simulation seeded from {@code -Dweft.seed}, or with a fresh seed; either way printed. */
    public static Simulation create() {
        String p = System.getProperty(SEED_PROPERTY);
        long s = p != null && !p.isBlank() ? Long.parseLong(p.strip()) : SEEDS.nextLong();
        return withSeed(s);
    }

    public long seed() {
        return seed;
    }

    /** When true (default), an exception in any actor task stops the run with that exception. */
    public Simulation failFast(boolean on) {
        failFast = on;
        return this;
    }

    /**
     * Peers added from now on join a simulated membership service ({@link SimMembership}) and
     * dial whoever it tells them about (discovery must be on).
     */
    public Simulation withMembership() {
        if (membership == null) {
            membership = new SimMembership();
        }
        return this;
    }

    /** The membership service, or null without {@link #withMembership()}. */
    public SimMembership membership() {
        return membership;
    }

    /** The default rule for every link (affects links created afterwards and messages sent afterwards). */
    public Simulation defaultLink(LinkRule rule) {
        net.setDefaultRule(rule);
        return this;
    }

    /** The rule for the link between two peers' hosts. */
    public Simulation link(SimPeer a, SimPeer b, LinkRule rule) {
        net.setRule(a.address().getAddress(), b.address().getAddress(), rule);
        return this;
    }

    // ---------------------------------------------------------------- peers

    /** Adds and starts a peer with a random name and default settings. */
    public SimPeer addPeer() {
        return addPeer(randomName(), UnaryOperator.identity());
    }

    /** Adds and starts {@code n} peers with random names. */
    public List<SimPeer> addPeers(int n) {
        List<SimPeer> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(addPeer());
        }
        return out;
    }

    /** Adds and starts a peer; {@code config} adjusts its defaults (e.g. connection limit). */
    public SimPeer addPeer(PeerName name, UnaryOperator<MeshConfig> config) {
        return addPeer(name, config, new NullOverlay(), false);
    }

    /**
     * Adds and starts a peer with an overlay; {@code encrypted} gives its connections a session key
     * (peers must agree, as with passwords).
     */
    public SimPeer addPeer(PeerName name, UnaryOperator<MeshConfig> config, Overlay overlay, boolean encrypted) {
        int host = ++hosts;
        InetSocketAddress address = new InetSocketAddress(hostAddress(host), MeshConfig.DEFAULT_PORT);
        return start(name, "host" + host, config, overlay, encrypted, address);
    }

    private SimPeer start(
            PeerName name,
            String nickname,
            UnaryOperator<MeshConfig> config,
            Overlay overlay,
            boolean encrypted,
            InetSocketAddress address) {
        SimEnvironment env = new SimEnvironment(loop, random.split(), nickname, failFast);
        SimTransport transport = new SimTransport(net, address, encrypted);
        MeshConfig c = config.apply(MeshConfig.defaults(name, nickname));
        PeerUid uid = PeerUid.random(env.newRandom());
        LocalMesh mesh = new LocalMesh(
                c, env, transport, overlay, membership == null ? null : membership.client(), uid, recordCache);
        SimPeer p = new SimPeer(this, mesh, env, transport, nickname, config, overlay);
        peers.add(p);
        mesh.start();
        return p;
    }

    private PeerName randomName() {
        while (true) {
            // A locally administered unicast MAC, as derived names are.
            long v = (random.nextLong() & 0xFEFF_FFFF_FFFFL) | 0x0200_0000_0000L;
            PeerName n = PeerName.of(v);
            boolean taken = false;
            for (SimPeer p : peers) {
                taken |= p.name().equals(n);
            }
            if (!taken) {
                return n;
            }
        }
    }

    private static InetAddress hostAddress(int host) {
        try {
            return InetAddress.getByAddress(new byte[] {10, (byte) (host >> 16), (byte) (host >> 8), (byte) host});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every peer ever added (including crashed and replaced ones). */
    public List<SimPeer> allPeers() {
        return List.copyOf(peers);
    }

    /** Peers that are up. */
    public List<SimPeer> livePeers() {
        List<SimPeer> out = new ArrayList<>();
        for (SimPeer p : peers) {
            if (!p.isDown()) {
                out.add(p);
            }
        }
        return out;
    }

    /** Each peer (from the second on) dials {@code fanout} random peers that joined before it. */
    public void joinRandomly(List<SimPeer> group, int fanout) {
        for (int i = 1; i < group.size(); i++) {
            for (int k = 0; k < Math.min(fanout, i); k++) {
                group.get(i).connectTo(group.get(random.nextInt(i)));
            }
        }
    }

    /** The host crashes: its connections reset, its actors stop, its state is lost. */
    public void crash(SimPeer p) {
        if (p.isDown()) {
            return;
        }
        p.markDown();
        p.env().kill();
        p.transport().crash();
        if (membership != null) {
            for (dev.weft.gossip.spi.Membership.Member m : membership.members()) {
                if (m.name().equals(p.name()) && m.uid().equals(p.mesh().uid())) {
                    membership.leave(m); // the service notices (SWIM would, after its timeout)
                }
            }
        }
    }

    /** The router stops cleanly (connections closed with a reason). */
    public void stop(SimPeer p) {
        if (p.isDown()) {
            return;
        }
        p.markDown();
        p.localMesh().close();
        p.env().kill();
    }

    /**
     * Crashes {@code p} if it is up, then starts a new incarnation on the same host with the same
     * name, nickname, settings and overlay and a new UID, dialling {@code targets}.
     */
    public SimPeer restart(SimPeer p, Collection<SimPeer> targets) {
        crash(p);
        // Same name, nickname, settings, overlay and address; a new UID (and empty state).
        SimPeer q = start(
                p.name(), p.nickname(), p.config(), p.overlay(), p.transport().encrypted(), p.address());
        for (SimPeer t : targets) {
            q.connectTo(t);
        }
        return q;
    }

    // ---------------------------------------------------------------- network faults

    /** Cuts every link between {@code a} and {@code b} (held messages flow again on heal). */
    public void partition(Collection<SimPeer> a, Collection<SimPeer> b) {
        net.partition(hostsOf(a), hostsOf(b));
    }

    /** Removes every partition. */
    public void heal() {
        net.healAll();
    }

    private static List<InetAddress> hostsOf(Collection<SimPeer> ps) {
        List<InetAddress> out = new ArrayList<>();
        for (SimPeer p : ps) {
            out.add(p.address().getAddress());
        }
        return out;
    }

    // ---------------------------------------------------------------- time

    /** Virtual time. */
    public Instant now() {
        return loop.now();
    }

    /** Virtual time since the start. */
    public Duration elapsed() {
        return Duration.ofNanos(loop.nanos());
    }

    /** Runs until no foreground work is left (messages in flight, pending deadlines and batches). */
    public void runUntilQuiescent() {
        loop.runUntilQuiescent(MAX_EVENTS);
    }

    /** Runs everything due within {@code d} of virtual time (including periodic gossip and retries). */
    public void advance(Duration d) {
        loop.advance(d);
    }

    /** Runs until {@code condition} holds (checked every 100 ms virtual) or {@code limit} passes. */
    public boolean runUntil(BooleanSupplier condition, Duration limit) {
        return loop.runUntil(condition, limit, Duration.ofMillis(100));
    }

    /** As {@link #runUntil(BooleanSupplier, Duration)}, checking every {@code checkEvery}. */
    public boolean runUntil(BooleanSupplier condition, Duration limit, Duration checkEvery) {
        return loop.runUntil(condition, limit, checkEvery);
    }

    // ---------------------------------------------------------------- observations

    /**
     * True when every live peer knows every other live peer's current record (same UID, same
     * version): the topology has converged.
     */
    public boolean topologyConverged() {
        List<SimPeer> live = livePeers();
        for (SimPeer q : live) {
            LocalMesh qm = q.localMesh();
            long v = qm.localVersion();
            for (SimPeer p : live) {
                if (p != q && p.localMesh().knownVersion(q.name(), qm.uid()) != v) {
                    return false;
                }
            }
        }
        return true;
    }

    /** True when every pair of live peers has an established connection (both ends). */
    public boolean fullyConnected() {
        List<SimPeer> live = livePeers();
        for (SimPeer p : live) {
            Map<PeerName, Boolean> conns = p.localMesh().connectionStates();
            for (SimPeer q : live) {
                if (p != q && !Boolean.TRUE.equals(conns.get(q.name()))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Messages the network carried (sent by any peer). */
    public long messagesSent() {
        return net.messagesSent();
    }

    /** Bytes the network carried (approximate frame sizes). */
    public long bytesSent() {
        return net.bytesSent();
    }

    /** Messages dropped by link rules. */
    public long messagesDropped() {
        return net.messagesDropped();
    }

    /** Events the loop ran. */
    public long eventsExecuted() {
        return loop.executed();
    }
}
