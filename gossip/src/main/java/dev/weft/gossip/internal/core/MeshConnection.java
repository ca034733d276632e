package dev.weft.gossip.internal.core;

import dev.weft.gossip.api.MeshStatus;
import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.spi.OverlayConnection;
import dev.weft.gossip.spi.TransportConnection;
import java.time.Instant;

/** One registered connection of the local peer (mesh's {@code LocalConnection}). Actor-confined. */
final class MeshConnection {

    final TransportConnection transport;
    final PeerName remote;
    final String remoteNickname;
    final Instant since;
    final GossipSender sender;
    final ConnectionMaker.Target target; // the target that dialled it, or null
    final java.net.InetSocketAddress recordedAddress; // what our topology record says about it
    final boolean takesDigests; // the remote announced topology digests in its handshake
    OverlayConnection overlay;
    boolean established;
    boolean closed;

    MeshConnection(TransportConnection transport, Instant since, GossipSender sender, ConnectionMaker.Target target) {
        this.transport = transport;
        this.remote = transport.remote().name();
        this.remoteNickname = transport.remote().nickname();
        this.since = since;
        this.sender = sender;
        this.target = target;
        this.recordedAddress = recordedAddress(transport);
        this.takesDigests = dev.weft.gossip.internal.topology.TopologyDigest.FEATURE_VALUE.equals(
                transport.remote().features().get(dev.weft.gossip.internal.topology.TopologyDigest.FEATURE));
    }

    /** For an inbound connection the remote port is ephemeral; record the remote's listen port. */
    private static java.net.InetSocketAddress recordedAddress(TransportConnection t) {
        java.net.InetSocketAddress remote = t.remoteAddress();
        if (t.outbound() || remote == null || remote.getAddress() == null) {
            return remote;
        }
        String port = t.remote().features().get("port");
        if (port == null) {
            return remote;
        }
        try {
            return new java.net.InetSocketAddress(remote.getAddress(), Integer.parseInt(port));
        } catch (IllegalArgumentException e) {
            return remote;
        }
    }

    MeshStatus.Connection status(String overlayName) {
        String overlayText = overlay == null || "none".equals(overlayName)
                ? ""
                : MeshStatus.overlayText(overlayName, overlay.attrs());
        return new MeshStatus.Connection(
                transport.remoteAddress(),
                transport.outbound(),
                established ? MeshStatus.ConnectionState.ESTABLISHED : MeshStatus.ConnectionState.PENDING,
                remote,
                remoteNickname,
                transport.sessionKey().isPresent(),
                overlayText,
                since);
    }

    @Override
    public String toString() {
        return (transport.outbound() ? "->" : "<-") + "[" + transport.remoteAddress() + "|" + remote + "("
                + remoteNickname + ")]";
    }
}
