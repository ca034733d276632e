package dev.weft.ipam.internal;

import dev.weft.gossip.api.GossipData;
import dev.weft.gossip.api.Gossiper;
import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.api.Scheduler;
import dev.weft.ipam.api.Address;
import dev.weft.ipam.api.Cidr;
import dev.weft.ipam.api.ContainerId;
import dev.weft.ipam.api.Ipam;
import dev.weft.ipam.api.IpamConfig;
import dev.weft.ipam.api.IpamStatus;
import dev.weft.ipam.api.RingView;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

/**
 * One peer's IPAM: the {@link Ipam} door and the IPAM channel's {@link Gossiper}, both running the
 * {@link Allocator} on one actor. The same class runs in the router and in the simulator; only the
 * actor, the mesh port and the durability differ.
 *
 * <p>Register it as the gossiper of channel {@value #CHANNEL} with this node's {@link #actor()} as
 * the callback scheduler.
 */
public final class IpamNode implements Ipam, Gossiper {

    /** The gossip channel's name (Weave's). */
    public static final String CHANNEL = "IPallocation";

    private final IpamConfig config;
    private final Scheduler actor;
    private final Allocator allocator;

    public IpamNode(
            IpamConfig config,
            PeerName me,
            StoredState stored,
            MeshPort mesh,
            Scheduler actor,
            RandomGenerator random,
            Durability durability) {
        this.config = config;
        this.actor = actor;
        this.allocator = new Allocator(config, me, stored, mesh, actor, random, durability);
    }

    /** Starts timers (and seeds at once in seed mode). Call once, after the channel is attached. */
    public void start() {
        actor.execute(allocator::start);
    }

    /** Tells the allocator the peer view changed (a donor or owner may have become reachable). Any thread. */
    public void peersChanged() {
        actor.execute(allocator::peersChanged);
    }

    public Scheduler actor() {
        return actor;
    }

    /** The allocator, for tests and the simulator; touch it only on {@link #actor()}. */
    public Allocator allocator() {
        return allocator;
    }

    @Override
    public CompletableFuture<Cidr> allocate(ContainerId id, Optional<Cidr> subnet, Duration timeout) {
        CompletableFuture<Cidr> f = new CompletableFuture<>();
        actor.execute(() -> allocator.allocate(id, subnet.orElse(null), timeout, f));
        return f;
    }

    @Override
    public CompletableFuture<Cidr> claim(ContainerId id, Cidr address, Duration timeout) {
        CompletableFuture<Cidr> f = new CompletableFuture<>();
        actor.execute(() -> allocator.claim(id, address, timeout, f));
        return f;
    }

    @Override
    public CompletableFuture<List<Cidr>> lookup(ContainerId id) {
        CompletableFuture<List<Cidr>> f = new CompletableFuture<>();
        actor.execute(() -> allocator.lookup(id, f));
        return f;
    }

    @Override
    public CompletableFuture<Map<ContainerId, List<Cidr>>> owned() {
        CompletableFuture<Map<ContainerId, List<Cidr>>> f = new CompletableFuture<>();
        actor.execute(() -> allocator.owned(f));
        return f;
    }

    @Override
    public CompletableFuture<List<Cidr>> free(ContainerId id) {
        CompletableFuture<List<Cidr>> f = new CompletableFuture<>();
        actor.execute(() -> allocator.free(id, f));
        return f;
    }

    @Override
    public CompletableFuture<Boolean> free(ContainerId id, Address address) {
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        actor.execute(() -> allocator.free(id, address, f));
        return f;
    }

    @Override
    public CompletableFuture<RingView> ring(Duration timeout) {
        CompletableFuture<RingView> f = new CompletableFuture<>();
        actor.execute(() -> allocator.ring(timeout, f));
        return f;
    }

    @Override
    public CompletableFuture<String> leave(boolean force) {
        CompletableFuture<String> f = new CompletableFuture<>();
        actor.execute(() -> allocator.leave(force, f));
        return f;
    }

    @Override
    public CompletableFuture<String> removePeer(String peer, boolean takeAll) {
        CompletableFuture<String> f = new CompletableFuture<>();
        actor.execute(() -> allocator.removePeer(peer, takeAll, f));
        return f;
    }

    @Override
    public CompletableFuture<IpamStatus> status() {
        CompletableFuture<IpamStatus> f = new CompletableFuture<>();
        actor.execute(() -> allocator.status(f));
        return f;
    }

    @Override
    public Cidr range() {
        return config.range();
    }

    @Override
    public Cidr defaultSubnet() {
        return config.defaultSubnet();
    }

    // Gossiper: called on our actor (registered with it as callback scheduler).

    @Override
    public void onUnicast(PeerName source, byte[] message) {
        allocator.onMessage(source, message, Allocator.Via.UNICAST);
    }

    @Override
    public GossipData onBroadcast(PeerName origin, byte[] update) {
        // Relay the sender's (durable) update when it taught us something; our own news goes out
        // in our own broadcast once it is durable.
        return allocator.onMessage(origin, update, Allocator.Via.BROADCAST) ? new IpamGossipData(update) : null;
    }

    @Override
    public GossipData onGossip(PeerName sender, byte[] update) {
        return allocator.onMessage(null, update, Allocator.Via.GOSSIP) ? new IpamGossipData(update) : null;
    }

    @Override
    public GossipData fullState() {
        byte[] s = allocator.gossip();
        return s == null ? null : new IpamGossipData(s);
    }
}
