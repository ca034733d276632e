package dev.weft.ipam.sim;

import dev.weft.gossip.api.PeerName;
import dev.weft.ipam.api.IpamConfig;
import dev.weft.ipam.internal.IpamNode;
import dev.weft.ipam.internal.MeshPort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Simulated IPAM peers on a simulated network: latency, partitions (groups), crashes with or without
 * the store, periodic gossip. Broadcasts reach every peer in the sender's partition, as the mesh's
 * broadcast tree does; unicasts are dropped across partitions.
 */
public final class SimCluster implements IpamSimBackend {

    static final Duration GOSSIP_INTERVAL = Duration.ofSeconds(30);

    public final SimWorld world;
    private final IpamConfig config;
    public final Map<PeerName, Peer> peers = new LinkedHashMap<>();
    private final Map<PeerName, String> nicknames = new LinkedHashMap<>();

    public SimCluster(long seed, IpamConfig config) {
        this.world = new SimWorld(seed);
        this.config = config;
    }

    public static PeerName name(int i) {
        return new PeerName(0x0200_0000_0000L + i);
    }

    /** One simulated router's IPAM, across incarnations. */
    public final class Peer extends SimHost {
        SimWorld.Actor actor;
        SimWorld.Actor storeActor;
        public int group;

        Peer(PeerName name) {
            super(name, config);
        }

        void boot(boolean withStore) {
            actor = world.new Actor();
            storeActor = world.new Actor();
            incarnation++;
            node = new IpamNode(
                    config,
                    name,
                    withStore ? store.load() : null,
                    new Port(this, incarnation),
                    actor,
                    new Random(world.random.nextLong()),
                    store.durability(storeActor));
            alive = true;
            node.start();
            int inc = incarnation;
            scheduleGossip(inc);
            // the mesh tells everyone a peer (re)appeared
            for (Peer p : peers.values()) {
                if (p.alive) {
                    p.node.peersChanged();
                }
            }
        }

        private void scheduleGossip(int inc) {
            long jitter = (long) (world.random.nextDouble() * GOSSIP_INTERVAL.toNanos());
            world.at(GOSSIP_INTERVAL.toNanos() / 2 + jitter, () -> {
                if (!alive || incarnation != inc) {
                    return;
                }
                var data = node.fullState();
                if (data != null) {
                    byte[] msg = data.encode().getFirst();
                    List<Peer> reachable = reachableFrom(this);
                    for (int i = 0; i < 3 && !reachable.isEmpty(); i++) {
                        Peer to = reachable.remove(world.random.nextInt(reachable.size()));
                        deliver(this, to, () -> {
                            var back = to.node.onGossip(name, msg);
                            if (back != null) {
                                // onward spread, one hop more
                                List<Peer> next = reachableFrom(to);
                                if (!next.isEmpty()) {
                                    Peer n2 = next.get(world.random.nextInt(next.size()));
                                    byte[] m2 = back.encode().getFirst();
                                    deliver(to, n2, () -> n2.node.onGossip(to.name, m2));
                                }
                            }
                        });
                    }
                }
                scheduleGossip(inc);
            });
        }

        public void crash(boolean loseStore) {
            actor.kill();
            storeActor.kill();
            die(loseStore);
            for (Peer p : peers.values()) {
                if (p.alive) {
                    p.node.peersChanged();
                }
            }
        }
    }

    public Peer add(int i) {
        PeerName n = name(i);
        Peer p = new Peer(n);
        peers.put(n, p);
        nicknames.put(n, "host" + i);
        return p;
    }

    public void bootAll() {
        for (Peer p : peers.values()) {
            p.boot(true);
        }
    }

    public Peer peer(PeerName n) {
        return peers.get(n);
    }

    @Override
    public List<PeerName> names() {
        return new ArrayList<>(peers.keySet());
    }

    @Override
    public Peer host(PeerName p) {
        return peers.get(p);
    }

    @Override
    public void crash(PeerName p, boolean loseStore) {
        peers.get(p).crash(loseStore);
    }

    @Override
    public void restart(PeerName p) {
        peers.get(p).boot(true);
    }

    @Override
    public void advance(Duration d) {
        world.advance(d);
    }

    @Override
    public boolean advanceUntil(java.util.function.BooleanSupplier done, Duration step, Duration max) {
        return world.advanceUntil(done, step, max);
    }

    @Override
    public long nowNanos() {
        return world.nowNanos();
    }

    @Override
    public Random random() {
        return world.random;
    }

    boolean reachable(Peer a, Peer b) {
        return a != b && a.alive && b.alive && a.group == b.group;
    }

    List<Peer> reachableFrom(Peer a) {
        List<Peer> out = new ArrayList<>();
        for (Peer p : peers.values()) {
            if (reachable(a, p)) {
                out.add(p);
            }
        }
        return out;
    }

    /** Delivers after a random latency (1-20 ms) if the two are still connected and the same incarnation. */
    void deliver(Peer from, Peer to, Runnable onArrival) {
        int inc = to.incarnation;
        long latency = 1_000_000L + (long) (world.random.nextDouble() * 19_000_000L);
        world.at(latency, () -> {
            if (to.incarnation == inc && reachable(from, to)) {
                to.actor.execute(onArrival);
            }
        });
    }

    /** Splits the peers into {@code groups} random partitions. */
    @Override
    public void partition(int groups) {
        for (Peer p : peers.values()) {
            p.group = world.random.nextInt(groups);
        }
        notifyAllPeers();
    }

    @Override
    public void heal() {
        for (Peer p : peers.values()) {
            p.group = 0;
        }
        notifyAllPeers();
    }

    private void notifyAllPeers() {
        for (Peer p : peers.values()) {
            if (p.alive) {
                p.node.peersChanged();
            }
        }
    }

    /** The mesh port of one peer. */
    private final class Port implements MeshPort {
        private final Peer self;
        private final int incarnation;

        Port(Peer self, int incarnation) {
            this.self = self;
            this.incarnation = incarnation;
        }

        private boolean current() {
            return self.alive && self.incarnation == incarnation;
        }

        @Override
        public void unicast(PeerName to, byte[] message) {
            Peer t = peers.get(to);
            if (t != null && current()) {
                deliver(self, t, () -> t.node.onUnicast(self.name, message));
            }
        }

        @Override
        public void broadcast(byte[] message) {
            if (!current()) {
                return;
            }
            for (Peer t : reachableFrom(self)) {
                deliver(self, t, () -> t.node.onBroadcast(self.name, message));
            }
        }

        @Override
        public boolean isReachable(PeerName peer) {
            Peer t = peers.get(peer);
            return t != null && reachable(self, t);
        }

        @Override
        public Set<PeerName> reachablePeers() {
            Set<PeerName> out = new HashSet<>();
            for (Peer p : reachableFrom(self)) {
                out.add(p.name);
            }
            return out;
        }

        @Override
        public String nickname(PeerName peer) {
            return nicknames.get(peer);
        }
    }
}
