package dev.weft.ipam.sim;

import dev.weft.gossip.api.Cancellable;
import dev.weft.gossip.api.GossipChannel;
import dev.weft.gossip.api.MeshConfig;
import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.testkit.SimPeer;
import dev.weft.gossip.testkit.Simulation;
import dev.weft.ipam.api.IpamConfig;
import dev.weft.ipam.internal.GossipMeshPort;
import dev.weft.ipam.internal.IpamNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * IPAM peers on the gossip module's simulator: real mesh peers (connections, topology gossip,
 * routes, broadcast trees, periodic gossip) in virtual time, each with IPAM on its own actor and a
 * simulated disk. Crashes kill the host's actors (and the writes in flight); restarts are new
 * incarnations with the same name.
 */
final class MeshSimCluster implements IpamSimBackend {

    private final Simulation sim;
    private final IpamConfig config;
    private final Random random;
    private final Map<PeerName, Host> hosts = new LinkedHashMap<>();

    /** One router across incarnations, on a mesh peer of the simulator. */
    private final class Host extends SimHost {
        SimPeer peer;
        GossipChannel channel;
        Cancellable listener;

        Host(PeerName name) {
            super(name, config);
        }

        void attach(SimPeer p) {
            peer = p;
            incarnation++;
            var env = p.environment();
            var actor = env.newActor("ipam");
            GossipMeshPort port = new GossipMeshPort();
            node = new IpamNode(
                    config, name, store.load(), port, actor, env.newRandom(), store.durability(env.newActor("disk")));
            channel = p.mesh().registerChannel(IpamNode.CHANNEL, node, actor);
            port.attach(channel, node::peersChanged);
            listener = p.mesh().addPeerListener(port, actor);
            node.start();
            alive = true;
        }
    }

    MeshSimCluster(long seed, int peers, IpamConfig config) {
        this.sim = Simulation.withSeed(seed);
        this.config = config;
        this.random = new Random(seed);
        List<SimPeer> started = new ArrayList<>();
        for (int i = 1; i <= peers; i++) {
            PeerName n = SimCluster.name(i);
            SimPeer p = sim.addPeer(n, UnaryOperator.<MeshConfig>identity());
            Host h = new Host(n);
            hosts.put(n, h);
            h.attach(p);
            started.add(p);
        }
        sim.joinRandomly(started, 2);
        if (!sim.runUntil(sim::topologyConverged, Duration.ofMinutes(5))) {
            throw new IllegalStateException("the mesh did not converge (seed " + seed + ")");
        }
    }

    @Override
    public List<PeerName> names() {
        return new ArrayList<>(hosts.keySet());
    }

    @Override
    public SimHost host(PeerName p) {
        return hosts.get(p);
    }

    @Override
    public void crash(PeerName p, boolean loseStore) {
        Host h = hosts.get(p);
        sim.crash(h.peer);
        h.die(loseStore);
    }

    @Override
    public void restart(PeerName p) {
        Host h = hosts.get(p);
        List<SimPeer> targets = new ArrayList<>();
        for (Host o : hosts.values()) {
            if (o.alive && o != h && targets.size() < 3) {
                targets.add(o.peer);
            }
        }
        h.attach(sim.restart(h.peer, targets));
    }

    @Override
    public void partition(int groups) {
        List<List<SimPeer>> g = new ArrayList<>();
        for (int i = 0; i < groups; i++) {
            g.add(new ArrayList<>());
        }
        for (Host h : hosts.values()) {
            g.get(random.nextInt(groups)).add(h.peer);
        }
        for (int i = 0; i < groups; i++) {
            for (int j = i + 1; j < groups; j++) {
                sim.partition(g.get(i), g.get(j));
            }
        }
    }

    @Override
    public void heal() {
        sim.heal();
    }

    @Override
    public void advance(Duration d) {
        sim.advance(d);
    }

    @Override
    public boolean advanceUntil(BooleanSupplier done, Duration step, Duration max) {
        return sim.runUntil(done, max, step);
    }

    @Override
    public long nowNanos() {
        return sim.elapsed().toNanos();
    }

    @Override
    public Random random() {
        return random;
    }
}
