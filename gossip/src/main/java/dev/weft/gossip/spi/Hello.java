package dev.weft.gossip.spi;

import dev.weft.gossip.api.PeerName;
import dev.weft.gossip.api.PeerUid;
import dev.weft.gossip.api.ShortId;
import java.util.Map;
import java.util.Optional;

/**
 * Who one side of a connection says it is, exchanged in the handshake (after encryption is set up
 * when a password is configured). Immutable.
 *
 * @param name the sender's peer name
 * @param uid the sender's incarnation
 * @param nickname the sender's nickname
 * @param shortId the sender's short ID, if it has one
 * @param connectionId a random per-connection number from the sender; both sides XOR the two
 *     into the connection UID
 * @param features free-form features, e.g. {@code overlays=fastdp sleeve}; small (see
 *     docs/protocol.md for limits)
 */
public record Hello(
        PeerName name,
        PeerUid uid,
        String nickname,
        Optional<ShortId> shortId,
        long connectionId,
        Map<String, String> features) {

    /** Copies {@code features}. */
    public Hello {
        features = Map.copyOf(features);
    }

    /** The same identity with another connection ID. */
    public Hello withConnectionId(long id) {
        return new Hello(name, uid, nickname, shortId, id, features);
    }
}
