package dev.weft.gossip.internal.core;

import dev.weft.gossip.api.GossipChannel;
import dev.weft.gossip.api.GossipData;
import dev.weft.gossip.api.PeerName;
import java.util.Objects;

/** The {@link GossipChannel} a component gets back from registration. Any thread. */
final class ChannelHandle implements GossipChannel {

    private final LocalMesh mesh;
    private final MessageDispatch dispatch;
    private final Channels.Entry entry;
    private volatile boolean closed;

    ChannelHandle(LocalMesh mesh, MessageDispatch dispatch, Channels.Entry entry) {
        this.mesh = mesh;
        this.dispatch = dispatch;
        this.entry = entry;
    }

    @Override
    public String name() {
        return entry.name();
    }

    @Override
    public boolean unicast(PeerName destination, byte[] message) {
        Objects.requireNonNull(destination, "destination");
        if (message.length > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("unicast of " + message.length + " bytes exceeds " + MAX_MESSAGE_BYTES);
        }
        if (closed) {
            return false;
        }
        if (mesh.actor.inScheduler()) {
            return dispatch.unicastFromHere(entry.name(), destination, message);
        }
        if (mesh.routesClean() && mesh.routes().unicastAllNextHop(destination) == null) {
            return false;
        }
        mesh.actor.execute(() -> dispatch.unicastFromHere(entry.name(), destination, message));
        return true;
    }

    @Override
    public void broadcast(GossipData update) {
        Objects.requireNonNull(update, "update");
        if (!closed) {
            mesh.actor.execute(() -> dispatch.broadcastFromHere(entry.name(), update));
        }
    }

    @Override
    public void gossip(GossipData update) {
        Objects.requireNonNull(update, "update");
        if (!closed) {
            mesh.actor.execute(() -> dispatch.gossipToNeighbours(entry.name(), update, null));
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            mesh.unregister(entry);
        }
    }
}
