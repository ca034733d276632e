package dev.weft.gossip.internal.netty;

import dev.weft.gossip.internal.wire.Protocol;
import dev.weft.gossip.internal.wire.ProtocolException;
import io.netty.buffer.ByteBuf;

/**
 * The plaintext header each side sends first (docs/protocol.md, "Handshake"):
 *
 * <pre>
 * 0   4  magic "weft"
 * 4   1  lowest protocol version spoken
 * 5   1  highest protocol version spoken
 * 6   1  flags: bit 0 = encrypted (a password is configured); other bits 0
 * 7   8  connection ID, random
 * 15 32  X25519 public key (only when bit 0 is set)
 * </pre>
 *
 * @param minVersion lowest version spoken
 * @param maxVersion highest version spoken
 * @param encrypted whether the sender has a password
 * @param connectionId the sender's random connection ID
 * @param publicKey the sender's ephemeral public key, or null when not encrypted
 */
record HandshakeHeader(int minVersion, int maxVersion, boolean encrypted, long connectionId, byte[] publicKey) {

    static final int FIXED = 15;
    static final int KEY = 32;

    int size() {
        return FIXED + (encrypted ? KEY : 0);
    }

    void write(ByteBuf out) {
        for (int i = 0; i < Protocol.MAGIC_LENGTH; i++) {
            out.writeByte(Protocol.magic(i));
        }
        out.writeByte(minVersion);
        out.writeByte(maxVersion);
        out.writeByte(encrypted ? 1 : 0);
        out.writeLong(connectionId);
        if (encrypted) {
            out.writeBytes(publicKey);
        }
    }

    /**
     * Reads a header if enough bytes are there (else returns null and consumes nothing).
     *
     * @throws ProtocolException on a bad magic or flags
     */
    static HandshakeHeader read(ByteBuf in) {
        if (in.readableBytes() < FIXED) {
            checkMagicPrefix(in);
            return null;
        }
        int start = in.readerIndex();
        for (int i = 0; i < 4; i++) {
            if (in.getByte(start + i) != Protocol.magic(i)) {
                throw new ProtocolException("not a weft peer: bad magic in handshake");
            }
        }
        int min = in.getUnsignedByte(start + 4);
        int max = in.getUnsignedByte(start + 5);
        int flags = in.getUnsignedByte(start + 6);
        if ((flags & ~1) != 0) {
            throw new ProtocolException("unknown handshake flags " + flags);
        }
        if (min > max || min == 0) {
            throw new ProtocolException("invalid protocol version range " + min + ".." + max);
        }
        boolean encrypted = (flags & 1) != 0;
        if (in.readableBytes() < FIXED + (encrypted ? KEY : 0)) {
            return null;
        }
        long id = in.getLong(start + 7);
        byte[] key = null;
        if (encrypted) {
            key = new byte[KEY];
            in.getBytes(start + FIXED, key);
        }
        in.skipBytes(FIXED + (encrypted ? KEY : 0));
        return new HandshakeHeader(min, max, encrypted, id, key);
    }

    /** Fails early on garbage that cannot become our magic, without waiting for 15 bytes. */
    private static void checkMagicPrefix(ByteBuf in) {
        int n = Math.min(4, in.readableBytes());
        for (int i = 0; i < n; i++) {
            if (in.getByte(in.readerIndex() + i) != Protocol.magic(i)) {
                throw new ProtocolException("not a weft peer: bad magic in handshake");
            }
        }
    }

    /**
     * The version both speak: the highest common one.
     *
     * @throws ProtocolException if the ranges do not overlap
     */
    static int agree(int ourMin, int ourMax, HandshakeHeader theirs) {
        int agreed = Math.min(ourMax, theirs.maxVersion);
        if (Math.max(ourMin, theirs.minVersion) > agreed) {
            throw new ProtocolException("protocol version mismatch: we speak " + ourMin + ".." + ourMax
                    + ", the remote speaks " + theirs.minVersion + ".." + theirs.maxVersion);
        }
        return agreed;
    }
}
