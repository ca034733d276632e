package dev.weft.gossip.spi;

import dev.weft.gossip.api.PeerName;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;

/**
 * What an overlay gets to set up one connection (mesh's {@code OverlayConnectionParams}).
 *
 * @param remotePeer the peer at the other end
 * @param remoteNickname its nickname
 * @param localAddress this end of the TCP connection (derive the local IP to send from)
 * @param remoteAddress the other end of the TCP connection; its IP is where to send, its port
 *     only if {@code outbound} (an inbound connection's port is ephemeral: learn the remote's data
 *     port from its first datagram or from {@code remoteFeatures})
 * @param outbound true if this side dialled; the dialler's preferences win and its nonce bit is set
 * @param connectionUid the same random number at both ends
 * @param sessionKey present when the connection is encrypted: derive data-plane keys from it;
 *     never reuse the control plane's nonces
 * @param control sends messages to the remote end's overlay connection over this TCP connection
 * @param remoteFeatures the remote's handshake features (e.g. its overlays and their ports)
 * @param events where to report established and failed
 */
public record OverlayConnectionParams(
        PeerName remotePeer,
        String remoteNickname,
        InetSocketAddress localAddress,
        InetSocketAddress remoteAddress,
        boolean outbound,
        long connectionUid,
        Optional<SessionKey> sessionKey,
        OverlayControlSender control,
        Map<String, String> remoteFeatures,
        OverlayEvents events) {}
