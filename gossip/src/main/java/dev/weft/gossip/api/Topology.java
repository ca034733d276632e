package dev.weft.gossip.api;

import java.util.List;
import java.util.Optional;

/**
 * An immutable snapshot of every peer this peer knows, sorted by name.
 *
 * @param self this peer's name
 * @param peers every known peer, this one included
 */
public record Topology(PeerName self, List<PeerInfo> peers) {

    /** The peer with this name, if known. */
    public Optional<PeerInfo> peer(PeerName name) {
        for (PeerInfo p : peers) {
            if (p.name().equals(name)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
