package dev.weft.sleeve.kernel;

import dev.weft.gossip.api.Cancellable;
import dev.weft.gossip.api.Environment;
import dev.weft.gossip.api.GossipChannel;
import dev.weft.gossip.api.Gossiper;
import dev.weft.gossip.api.Mesh;
import dev.weft.gossip.api.MeshStatus;
import dev.weft.gossip.api.PeerInfo;
import dev.weft.gossip.api.PeerListener;
import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.api.PeerUid;
import dev.weft.gossip.api.Routes;
import dev.weft.gossip.api.Scheduler;
import dev.weft.gossip.api.Topology;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Enough of a mesh to start an overlay: a name, an environment, and peer listeners the test feeds
 * with {@link #peerAdded}/{@link #peerUpdated} (a listener registered later hears the peers known
 * so far first, as the real mesh does). Thread-safe.
 */
public final class FakeMesh implements Mesh {
    private final PeerName name;
    private final Environment environment;
    private final List<Object[]> listeners = new ArrayList<>();
    private final Map<PeerName, PeerInfo> known = new LinkedHashMap<>();

    public FakeMesh(PeerName name, Environment environment) {
        this.name = name;
        this.environment = environment;
    }

    public synchronized void peerAdded(PeerInfo p) {
        known.put(p.name(), p);
        for (Object[] l : listeners) {
            ((Executor) l[1]).execute(() -> ((PeerListener) l[0]).peerAdded(p));
        }
    }

    public synchronized void peerUpdated(PeerInfo before, PeerInfo after) {
        known.put(after.name(), after);
        for (Object[] l : listeners) {
            ((Executor) l[1]).execute(() -> ((PeerListener) l[0]).peerUpdated(before, after));
        }
    }

    @Override
    public PeerName name() {
        return name;
    }

    @Override
    public Environment environment() {
        return environment;
    }

    @Override
    public synchronized Cancellable addPeerListener(PeerListener listener, Executor executor) {
        Object[] l = {listener, executor};
        listeners.add(l);
        for (PeerInfo p : known.values()) {
            executor.execute(() -> listener.peerAdded(p));
        }
        return () -> {
            synchronized (this) {
                listeners.remove(l);
            }
        };
    }

    @Override
    public PeerUid uid() {
        throw new UnsupportedOperationException();
    }

    @Override
    public GossipChannel registerChannel(String n, Gossiper g) {
        throw new UnsupportedOperationException();
    }

    @Override
    public GossipChannel registerChannel(String n, Gossiper g, Scheduler s) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Topology topology() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Routes routes() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Cancellable addRoutesListener(Runnable l, Executor e) {
        return () -> {};
    }

    @Override
    public MeshStatus status() {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<String> connect(Collection<String> a, boolean r) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void forget(Collection<String> a) {}

    @Override
    public void start() {}

    @Override
    public void close() {}
}
