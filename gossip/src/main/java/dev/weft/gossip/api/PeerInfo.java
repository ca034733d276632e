package dev.weft.gossip.api;

import java.util.List;
import java.util.Optional;

/**
 * An immutable snapshot of what this peer knows about one peer of the mesh.
 *
 * @param name the peer's name
 * @param uid its incarnation ({@link PeerUid#NONE} for a placeholder known only as somebody's
 *     connection endpoint)
 * @param nickname human-readable name, usually the host name ({@code ""} if unknown)
 * @param shortId its 12-bit short ID, if it has one
 * @param version its topology record version (increases with every change it makes)
 * @param connections the connections it reports
 * @param reachable true if a path of reported connections leads from this peer to it
 * @param local true for this peer itself
 */
public record PeerInfo(
        PeerName name,
        PeerUid uid,
        String nickname,
        Optional<ShortId> shortId,
        long version,
        List<ConnectionInfo> connections,
        boolean reachable,
        boolean local) {

    /** {@code name(nickname)}, as status output prints peers. */
    public String label() {
        return nickname.isEmpty() ? name.toString() : name + "(" + nickname + ")";
    }
}
