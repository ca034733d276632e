package dev.weft.sleeve.kernel;

import dev.weft.gossip.api.Cancellable;
import dev.weft.gossip.api.Environment;
import dev.weft.gossip.api.GossipChannel;
import dev.weft.gossip.api.Gossiper;
import dev.weft.gossip.api.Mesh;
import dev.weft.gossip.api.MeshStatus;
import dev.weft.gossip.api.PeerListener;
import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.api.PeerUid;
import dev.weft.gossip.api.Routes;
import dev.weft.gossip.api.Scheduler;
import dev.weft.gossip.api.Topology;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executor;

/** Just enough of a mesh to start an overlay: a name and an environment (and no peers). */
public record FakeMesh(PeerName name, Environment environment) implements Mesh {
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
    public Cancellable addPeerListener(PeerListener l, Executor e) {
        return () -> {}; // reports no peers
    }

    @Override
    public Cancellable addRoutesListener(Runnable l, Executor e) {
        throw new UnsupportedOperationException();
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
