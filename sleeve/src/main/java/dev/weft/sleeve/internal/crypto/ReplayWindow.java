package dev.weft.sleeve.internal.crypto;

/**
 * Rejects repeated and too-old message sequence numbers of one direction of one connection: a
 * sliding window of {@link #WINDOW} numbers below the highest accepted one, kept as a ring of
 * bits (the scheme of RFC 6479). Numbers inside the window may arrive in any order, once each.
 *
 * <p>{@link #mayAccept} only looks (use it before expensive work); {@link #accept} records, and
 * must be called only after the message was authenticated, so a forged huge number cannot move
 * the window. Not thread-safe: the receiving thread owns it. Allocates nothing after construction.
 */
public final class ReplayWindow {
    /** 8,192 numbers: several full 64 KiB super-frames of reordering across paths. */
    public static final int WINDOW = 8192;

    private static final int WORDS = WINDOW / 64;
    private static final int WORD_MASK = WORDS - 1;

    private final long[] ring = new long[WORDS];
    /** Highest accepted number, or -1 before the first. */
    private long highest = -1;

    /** True if {@code seq} is neither too old nor already accepted. Changes nothing. */
    public boolean mayAccept(long seq) {
        if (seq < 0) {
            return false;
        }
        if (seq > highest) {
            return true;
        }
        if (highest - seq >= WINDOW - 64) {
            // The ring also holds the words being reused above `highest`; keep a word of margin.
            return false;
        }
        int word = (int) (seq >>> 6) & WORD_MASK;
        return (ring[word] & (1L << (seq & 63))) == 0;
    }

    /**
     * Records {@code seq} as seen. Returns false (and changes nothing) if it is too old or was
     * seen before.
     */
    public boolean accept(long seq) {
        if (!mayAccept(seq)) {
            return false;
        }
        if (seq > highest) {
            long oldWord = highest < 0 ? -1 : highest >>> 6;
            long newWord = seq >>> 6;
            long clear = Math.min(newWord - oldWord, WORDS);
            for (long w = 1; w <= clear; w++) {
                ring[(int) ((oldWord + w) & WORD_MASK)] = 0;
            }
            highest = seq;
        }
        ring[(int) (seq >>> 6) & WORD_MASK] |= 1L << (seq & 63);
        return true;
    }

    /** The highest accepted number, or -1. */
    public long highest() {
        return highest;
    }
}
