package dev.weft.gossip.api;

import java.util.random.RandomGenerator;

/**
 * A random non-zero 64-bit identifier of one incarnation of a peer: a router draws a new one at
 * every start. Two records with the same {@link PeerName} and different UIDs are two incarnations
 * of the same node (a restart), or two nodes wrongly sharing a name (a collision). Immutable.
 */
public record PeerUid(long value) {

    /** Placeholder for peers known only as the endpoint of someone else's connection. */
    public static final PeerUid NONE = new PeerUid(0);

    /** A fresh non-zero UID drawn from {@code random}. */
    public static PeerUid random(RandomGenerator random) {
        long v;
        do {
            v = random.nextLong();
        } while (v == 0);
        return new PeerUid(v);
    }

    /** Parses the unsigned decimal form produced by {@link #toString()}. */
    public static PeerUid parse(String text) {
        try {
            return new PeerUid(Long.parseUnsignedLong(text));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid peer UID '" + text + "'", e);
        }
    }

    /** True for {@link #NONE}. */
    public boolean isNone() {
        return value == 0;
    }

    /** Unsigned decimal. */
    @Override
    public String toString() {
        return Long.toUnsignedString(value);
    }
}
