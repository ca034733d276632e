package dev.weft.gossip.api;

/**
 * Hears about peers joining, changing and being garbage-collected. Register with {@link
 * Mesh#addPeerListener}; callbacks run on the executor given there, in the order the mesh saw the
 * changes, and must not block it for long. All methods have empty defaults.
 */
public interface PeerListener {

    /** A peer became known (including placeholders with {@link PeerUid#NONE}). */
    default void peerAdded(PeerInfo peer) {}

    /**
     * A known peer's UID (restart), nickname, short ID or reachability changed. Not called for
     * changes of its connection list alone.
     */
    default void peerUpdated(PeerInfo previous, PeerInfo current) {}

    /**
     * A peer was garbage-collected: unreachable from here and not connected to us. It may come back
     * (then {@link #peerAdded} again). Its state elsewhere (e.g. IPAM ranges) is not released by
     * this; that is an explicit operator act.
     */
    default void peerRemoved(PeerInfo last) {}
}
