package dev.weft.gossip.spi;

import dev.weft.gossip.api.PeerName;
import java.util.List;

/**
 * A control-plane message on an established connection (after the handshake). The Netty transport
 * encodes these as tagged frames (docs/protocol.md); the simulator passes them as objects.
 * Heartbeats are internal to a transport and never appear here. Payload arrays are immutable once
 * created (they may be shared by several connections and receivers).
 */
public sealed interface MeshMessage {

    /**
     * Periodic or epidemic gossip from the neighbour {@code sender} on {@code channel}.
     *
     * @param channel channel name
     * @param sender this hop
     * @param payload one encoded {@code GossipData} message
     */
    record Gossip(String channel, PeerName sender, byte[] payload) implements MeshMessage {}

    /**
     * A point-to-point message, forwarded unchanged hop by hop.
     *
     * @param channel channel name
     * @param origin the peer that sent it
     * @param destination the peer it is for
     * @param payload the message
     */
    record Unicast(String channel, PeerName origin, PeerName destination, byte[] payload) implements MeshMessage {}

    /**
     * A broadcast, forwarded along {@code origin}'s broadcast tree.
     *
     * @param channel channel name
     * @param origin the peer that started it
     * @param payload one encoded {@code GossipData} message
     */
    record Broadcast(String channel, PeerName origin, byte[] payload) implements MeshMessage {}

    /**
     * An opaque message between the two ends' overlay connections (Weave's tag 7).
     *
     * @param payload at most 64 KiB
     */
    record OverlayControl(byte[] payload) implements MeshMessage {}

    /**
     * The receiver of a connection refuses it and says why before closing it, with addresses of
     * other peers to try when the reason is the connection limit.
     *
     * @param reason what went wrong
     * @param text a human-readable explanation
     * @param referrals mesh addresses ({@code host:port}) of other peers, at most 16
     */
    record Refusal(RefusalReason reason, String text, List<String> referrals) implements MeshMessage {
        /** Copies the referrals. */
        public Refusal {
            referrals = List.copyOf(referrals);
        }
    }

    /** Why a connection was refused after the handshake. */
    enum RefusalReason {
        /** The receiver is at its connection limit. */
        CONNECTION_LIMIT,
        /** The receiver already has a connection to the sender and keeps the other one. */
        DUPLICATE,
        /** The sender uses the receiver's own name with another UID. */
        NAME_COLLISION,
        /** Anything else. */
        OTHER
    }
}
