package dev.weft.gossip.internal.wire;

import dev.weft.gossip.api.GossipChannel;
import dev.weft.gossip.spi.MeshMessage;
import dev.weft.gossip.spi.OverlayControlSender;

/** Hard size limits per message type (docs/protocol.md), enforced by every transport on send. */
public final class MessageLimits {

    /** Longest refusal text (bytes). */
    public static final int MAX_REFUSAL_TEXT = 1024;

    /** Most referrals in a refusal. */
    public static final int MAX_REFERRALS = 16;

    /** Longest referral address (bytes). */
    public static final int MAX_REFERRAL_BYTES = 64;

    private MessageLimits() {}

    /**
     * Throws IllegalArgumentException if {@code m} exceeds its type's limit.
     */
    public static void check(MeshMessage m) {
        switch (m) {
            case MeshMessage.Gossip g -> payload(g.payload().length, g.channel());
            case MeshMessage.Broadcast b -> payload(b.payload().length, b.channel());
            case MeshMessage.Unicast u -> payload(u.payload().length, u.channel());
            case MeshMessage.OverlayControl o -> {
                if (o.payload().length > OverlayControlSender.MAX_BYTES) {
                    throw new IllegalArgumentException("overlay control message of " + o.payload().length
                            + " bytes exceeds " + OverlayControlSender.MAX_BYTES);
                }
            }
            case MeshMessage.Refusal r -> {
                if (r.referrals().size() > MAX_REFERRALS) {
                    throw new IllegalArgumentException(
                            "too many referrals: " + r.referrals().size());
                }
            }
        }
    }

    private static void payload(int length, String channel) {
        if (length > GossipChannel.MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("gossip message of " + length + " bytes on channel '" + channel
                    + "' exceeds " + GossipChannel.MAX_MESSAGE_BYTES);
        }
        if (channel.length() > GossipChannel.MAX_NAME_BYTES) {
            throw new IllegalArgumentException("channel name too long");
        }
    }
}
