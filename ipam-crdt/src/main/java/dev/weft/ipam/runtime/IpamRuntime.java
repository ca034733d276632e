package dev.weft.ipam.runtime;

import dev.weft.gossip.api.Cancellable;
import dev.weft.gossip.api.Mesh;
import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.api.Scheduler;
import dev.weft.ipam.api.Ipam;
import dev.weft.ipam.api.IpamConfig;
import dev.weft.ipam.internal.GossipMeshPort;
import dev.weft.ipam.internal.IpamNode;
import dev.weft.ipam.internal.MeshPort;
import dev.weft.ipam.internal.SqliteStore;
import dev.weft.ipam.internal.StoredState;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IPAM wired for real: the store (SQLite, group commit on its own thread), the allocator on an
 * actor, and the IPAM gossip channel on the mesh. {@link #ipam()} is the door for the router.
 */
public final class IpamRuntime implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IpamRuntime.class);

    /** The store's file name inside the router's data directory. */
    public static final String STORE_FILE = "ipam.db";

    private final IpamNode node;
    private final GroupCommitter committer;
    private final AutoCloseable[] resources;

    private IpamRuntime(IpamNode node, GroupCommitter committer, AutoCloseable... resources) {
        this.node = node;
        this.committer = committer;
        this.resources = resources;
    }

    /**
     * The peer name stored in {@code dataDir}'s IPAM store, if there is one: the router reuses it
     * when no {@code --name} is given, so a restarted router keeps its identity.
     *
     * @throws SqliteStore.StoreException if the store is foreign or corrupt
     */
    public static Optional<PeerName> storedPeerName(Path dataDir) throws SqliteStore.StoreException {
        return SqliteStore.storedPeer(dataDir.resolve(STORE_FILE));
    }

    /**
     * Starts IPAM on {@code mesh}, with its store in {@code dataDir}.
     *
     * @throws SqliteStore.StoreException if the store is foreign, corrupt, or made for another peer or range
     */
    public static IpamRuntime start(IpamConfig config, Mesh mesh, Path dataDir) throws SqliteStore.StoreException {
        StoreAndState s = open(config, mesh.name(), dataDir);
        GroupCommitter committer = new GroupCommitter(s.store());
        Scheduler actor = mesh.environment().newActor("ipam");
        GossipMeshPort port = new GossipMeshPort();
        IpamNode node = new IpamNode(
                config, mesh.name(), s.state(), port, actor, mesh.environment().newRandom(), committer);
        var channel = mesh.registerChannel(IpamNode.CHANNEL, node, actor);
        port.attach(channel, node::peersChanged);
        Cancellable listener = mesh.addPeerListener(port, actor);
        node.start();
        return new IpamRuntime(node, committer, listener::cancel, channel);
    }

    /**
     * Starts IPAM without a mesh: one peer owning the whole range (with {@code consensus=1} or a
     * seed list naming only {@code me}). For single-node use and the crash test's child process.
     */
    public static IpamRuntime standalone(IpamConfig config, PeerName me, Path dataDir)
            throws SqliteStore.StoreException {
        StoreAndState s = open(config, me, dataDir);
        GroupCommitter committer = new GroupCommitter(s.store());
        ThreadActor actor = new ThreadActor("weft-ipam");
        IpamNode node = new IpamNode(config, me, s.state(), new NoMesh(), actor, new SecureRandom(), committer);
        node.start();
        return new IpamRuntime(node, committer, actor);
    }

    private record StoreAndState(SqliteStore store, StoredState state) {}

    private static StoreAndState open(IpamConfig config, PeerName me, Path dataDir) throws SqliteStore.StoreException {
        Path file = dataDir.resolve(STORE_FILE);
        SqliteStore store = SqliteStore.open(file, me, config.range());
        try {
            StoredState state = store.load(config.range());
            if (state.ring().isEmpty() && state.ownership().isEmpty()) {
                log.info("IPAM store {} holds no ring yet: starting afresh as {}", file, me);
            } else {
                log.info(
                        "IPAM resumed from {}: {} ranges, {} allocations",
                        file,
                        state.ring().size(),
                        state.ownership().size());
            }
            return new StoreAndState(store, state);
        } catch (SqliteStore.StoreException e) {
            store.close();
            throw e;
        }
    }

    /** The door for the router: allocate, claim, lookup, free, ring, leave, rmpeer, status. */
    public Ipam ipam() {
        return node;
    }

    /** Transactions committed so far (metrics, benchmarks). */
    public long commits() {
        return committer.commits();
    }

    /** Stops IPAM after the queued work, commits what is pending and closes the store. */
    @Override
    public void close() {
        CompletableFuture<Void> drained = new CompletableFuture<>();
        node.actor().execute(() -> node.actor().execute(() -> drained.complete(null)));
        try {
            drained.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("IPAM actor did not drain within 10 s", e);
        }
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                log.warn("closing IPAM", e);
            }
        }
        committer.close();
    }

    /** No mesh: no peers, nothing to send. */
    private static final class NoMesh implements MeshPort {
        @Override
        public void unicast(PeerName to, byte[] message) {}

        @Override
        public void broadcast(byte[] message) {}

        @Override
        public boolean isReachable(PeerName peer) {
            return false;
        }

        @Override
        public Set<PeerName> reachablePeers() {
            return Set.of();
        }

        @Override
        public String nickname(PeerName peer) {
            return null;
        }
    }
}
