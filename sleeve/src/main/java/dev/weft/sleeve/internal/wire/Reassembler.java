package dev.weft.sleeve.internal.wire;

import java.nio.ByteBuffer;
import java.util.function.IntFunction;

/**
 * Puts the fragments of sealed messages back together, for one direction of one connection.
 * Holds at most {@code slots} messages in progress; a fragment of a new message when all are
 * busy evicts the least recently touched one (counted). Fragments are tracked in
 * {@link DatagramHeader#FRAGMENT_ALIGN}-byte units, so a duplicate or overlapping fragment is
 * detected and dropped rather than double-counted.
 *
 * <p>Not thread-safe: the receiving thread owns it. Buffers are allocated on first use of a slot
 * and then reused; nothing is allocated per fragment.
 */
public final class Reassembler {
    /** Result of {@link #accept}: the fragment was kept; the message is still incomplete. */
    public static final int INCOMPLETE = -1;
    /** Result of {@link #accept}: the fragment was dropped (duplicate, overlap or inconsistent). */
    public static final int REJECTED = -2;

    private static final int UNITS =
            (DatagramHeader.MAX_SEALED + DatagramHeader.FRAGMENT_ALIGN - 1) / DatagramHeader.FRAGMENT_ALIGN;
    private static final int WORDS = (UNITS + 63) / 64;

    private final IntFunction<ByteBuffer> allocator;
    private final ByteBuffer[] buffers;
    private final long[] seqs;
    private final int[] lengths;
    private final int[] received;
    private final long[] touched;
    private final boolean[] busy;
    private final long[][] maps;
    private long clock;
    private long evictions;

    /**
     * @param slots messages that may be in progress at once
     * @param allocator makes a big-endian buffer of at least the given capacity for a slot
     */
    public Reassembler(int slots, IntFunction<ByteBuffer> allocator) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be >= 1");
        }
        this.allocator = allocator;
        this.buffers = new ByteBuffer[slots];
        this.seqs = new long[slots];
        this.lengths = new int[slots];
        this.received = new int[slots];
        this.touched = new long[slots];
        this.busy = new boolean[slots];
        this.maps = new long[slots][];
    }

    /**
     * Takes the fragment {@code src[from, from + length)} that sits at {@code offset} of message
     * {@code seq}, whose sealed length is {@code sealedLength} (the header was checked with
     * {@link DatagramHeader#check}).
     *
     * @return a slot index when this fragment completed the message (its bytes are then at
     *     {@code buffer(slot)[0, sealedLength)} until {@link #release}), {@link #INCOMPLETE}, or
     *     {@link #REJECTED}
     */
    public int accept(long seq, int sealedLength, int offset, ByteBuffer src, int from, int length) {
        int slot = find(seq);
        if (slot >= 0 && lengths[slot] != sealedLength) {
            return REJECTED;
        }
        if (slot < 0) {
            slot = claim(seq, sealedLength);
        }
        long[] map = maps[slot];
        int firstUnit = offset / DatagramHeader.FRAGMENT_ALIGN;
        int lastUnit = (offset + length - 1) / DatagramHeader.FRAGMENT_ALIGN;
        if (anySet(map, firstUnit, lastUnit)) {
            return REJECTED;
        }
        setRange(map, firstUnit, lastUnit);
        buffers[slot].put(offset, src, from, length);
        received[slot] += length;
        touched[slot] = ++clock;
        if (received[slot] == sealedLength) {
            return slot;
        }
        return INCOMPLETE;
    }

    /** The buffer of a slot that {@link #accept} reported complete. */
    public ByteBuffer buffer(int slot) {
        return buffers[slot];
    }

    /** Frees a slot after its complete message was used. */
    public void release(int slot) {
        busy[slot] = false;
    }

    /** Messages dropped half-done because all slots were busy. */
    public long evictions() {
        return evictions;
    }

    private int find(long seq) {
        for (int i = 0; i < busy.length; i++) {
            if (busy[i] && seqs[i] == seq) {
                return i;
            }
        }
        return -1;
    }

    private int claim(long seq, int sealedLength) {
        int victim = -1;
        for (int i = 0; i < busy.length; i++) {
            if (!busy[i]) {
                victim = i;
                break;
            }
            if (victim < 0 || touched[i] < touched[victim]) {
                victim = i;
            }
        }
        if (busy[victim]) {
            evictions++;
        }
        if (buffers[victim] == null) {
            buffers[victim] = allocator.apply(DatagramHeader.MAX_SEALED);
            maps[victim] = new long[WORDS];
        } else {
            java.util.Arrays.fill(maps[victim], 0L);
        }
        busy[victim] = true;
        seqs[victim] = seq;
        lengths[victim] = sealedLength;
        received[victim] = 0;
        return victim;
    }

    private static boolean anySet(long[] map, int first, int last) {
        for (int w = first >>> 6; w <= last >>> 6; w++) {
            if ((map[w] & mask(w, first, last)) != 0) {
                return true;
            }
        }
        return false;
    }

    private static void setRange(long[] map, int first, int last) {
        for (int w = first >>> 6; w <= last >>> 6; w++) {
            map[w] |= mask(w, first, last);
        }
    }

    private static long mask(int word, int first, int last) {
        int lo = Math.max(first, word << 6) & 63;
        int hi = Math.min(last, (word << 6) + 63) & 63;
        long upTo = hi == 63 ? -1L : (1L << (hi + 1)) - 1;
        return upTo & (-1L << lo);
    }
}
