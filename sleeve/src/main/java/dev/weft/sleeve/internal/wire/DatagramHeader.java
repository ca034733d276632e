package dev.weft.sleeve.internal.wire;

import java.nio.ByteBuffer;

/**
 * The 24-byte header that starts every sleeve UDP datagram (version 1, big-endian; the layout is
 * specified in {@code docs/protocol.md}, "Sleeve datagrams").
 *
 * <pre>
 *  0  u8   version (1)
 *  1  u8   kind: 1 data, 2 heartbeat, 3 path-MTU probe
 *  2  u8   cipher (DataPlaneCipher wire id; must be the connection's)
 *  3  u8   reserved, 0
 *  4  6B   sender peer name
 * 10  u24  sealed message length in bytes (ciphertext and tag), 1..MAX_SEALED
 * 13  u24  offset of this fragment in the sealed message
 * 16  u64  message sequence number (per connection and direction; the AEAD nonce)
 * 24  ...  fragment bytes
 * </pre>
 *
 * A message longer than one datagram is split into fragments; every fragment but the last has
 * the same length, a multiple of {@link #FRAGMENT_ALIGN}. All methods use absolute indexes and
 * leave the buffer's position and limit alone. Stateless; thread-safe.
 */
public final class DatagramHeader {
    public static final int VERSION = 1;
    public static final int LENGTH = 24;

    public static final int KIND_DATA = 1;
    public static final int KIND_HEARTBEAT = 2;
    public static final int KIND_PMTU_PROBE = 3;

    /** Non-final fragments are multiples of 8 bytes, so reassembly tracks 8-byte units. */
    public static final int FRAGMENT_ALIGN = 8;

    /** The largest plaintext message: one maximal offloaded frame and its record header. */
    public static final int MAX_PLAINTEXT = FrameRecord.MAX_FRAME + FrameRecord.MAX_HEADER;

    /** The largest sealed message: {@link #MAX_PLAINTEXT} and a 16-byte tag. */
    public static final int MAX_SEALED = MAX_PLAINTEXT + 16;

    /** Offsets of the fields. */
    static final int OFF_VERSION = 0;

    static final int OFF_KIND = 1;
    static final int OFF_CIPHER = 2;
    static final int OFF_RESERVED = 3;
    static final int OFF_SENDER = 4;
    static final int OFF_LENGTH = 10;
    static final int OFF_FRAGMENT = 13;
    static final int OFF_SEQ = 16;

    /** The authenticated data of a message: the header without its fragment offset. */
    public static final int AAD_LENGTH = LENGTH;

    private DatagramHeader() {}

    /** Writes a header at {@code at}. */
    public static void write(
            ByteBuffer b, int at, int kind, int cipherId, long sender, int sealedLength, int fragmentOffset, long seq) {
        b.put(at + OFF_VERSION, (byte) VERSION);
        b.put(at + OFF_KIND, (byte) kind);
        b.put(at + OFF_CIPHER, (byte) cipherId);
        b.put(at + OFF_RESERVED, (byte) 0);
        Bytes.putU48(b, at + OFF_SENDER, sender);
        Bytes.putU24(b, at + OFF_LENGTH, sealedLength);
        Bytes.putU24(b, at + OFF_FRAGMENT, fragmentOffset);
        b.putLong(at + OFF_SEQ, seq);
    }

    /**
     * Writes the authenticated data of a message into {@code aad} at 0..{@link #AAD_LENGTH}: the
     * header with a zero fragment offset, so every fragment of one message shares it.
     */
    public static void writeAad(ByteBuffer aad, int kind, int cipherId, long sender, int sealedLength, long seq) {
        write(aad, 0, kind, cipherId, sender, sealedLength, 0, seq);
    }

    public static int version(ByteBuffer b, int at) {
        return b.get(at + OFF_VERSION) & 0xff;
    }

    public static int kind(ByteBuffer b, int at) {
        return b.get(at + OFF_KIND) & 0xff;
    }

    public static int cipher(ByteBuffer b, int at) {
        return b.get(at + OFF_CIPHER) & 0xff;
    }

    public static int reserved(ByteBuffer b, int at) {
        return b.get(at + OFF_RESERVED) & 0xff;
    }

    public static long sender(ByteBuffer b, int at) {
        return Bytes.getU48(b, at + OFF_SENDER);
    }

    public static int sealedLength(ByteBuffer b, int at) {
        return Bytes.getU24(b, at + OFF_LENGTH);
    }

    public static int fragmentOffset(ByteBuffer b, int at) {
        return Bytes.getU24(b, at + OFF_FRAGMENT);
    }

    public static long seq(ByteBuffer b, int at) {
        return b.getLong(at + OFF_SEQ);
    }

    /**
     * Checks a datagram of {@code length} bytes at {@code at} against the rules of version 1
     * that need no connection state. Returns {@link Malformed#NONE} when it is well formed.
     */
    public static Malformed check(ByteBuffer b, int at, int length) {
        if (length < LENGTH + 1) {
            return Malformed.TRUNCATED;
        }
        if (version(b, at) != VERSION) {
            return Malformed.BAD_VERSION;
        }
        int kind = kind(b, at);
        if (kind < KIND_DATA || kind > KIND_PMTU_PROBE) {
            return Malformed.BAD_KIND;
        }
        if (reserved(b, at) != 0) {
            return Malformed.BAD_RESERVED;
        }
        int sealed = sealedLength(b, at);
        int offset = fragmentOffset(b, at);
        int fragment = length - LENGTH;
        if (sealed == 0 || sealed > MAX_SEALED) {
            return Malformed.BAD_LENGTH;
        }
        if (offset % FRAGMENT_ALIGN != 0 || (long) offset + fragment > sealed) {
            return Malformed.BAD_FRAGMENT;
        }
        if (offset + fragment < sealed && fragment % FRAGMENT_ALIGN != 0) {
            return Malformed.BAD_FRAGMENT;
        }
        if (sender(b, at) == 0) {
            return Malformed.BAD_SENDER;
        }
        return Malformed.NONE;
    }
}
