package dev.weft.gossip.internal.crypto;

/**
 * Counter nonces for one direction of a TCP connection (docs/protocol.md): byte 0 carries the
 * direction (bit 7: sent by the dialler) and the channel (bit 6: TCP control plane), bytes 16..23 the
 * big-endian message counter starting at 0. Sender and receiver each keep their own counter; TCP
 * delivers in order, so a replayed, dropped, reordered or forged message fails to open.
 * Not thread-safe.
 */
public final class NonceCounter {

    private final byte[] nonce = new byte[SecretBox.NONCE_BYTES];
    private long counter;

    /** @param fromDialer true for messages the dialler sends */
    public NonceCounter(boolean fromDialer) {
        nonce[0] = (byte) ((fromDialer ? 0x80 : 0) | 0x40);
    }

    /** The nonce for the next message; the returned array is reused by the next call. */
    public byte[] next() {
        if (counter == -1L) {
            throw new IllegalStateException("nonce counter exhausted");
        }
        long c = counter++;
        for (int i = 23; i >= 16; i--) {
            nonce[i] = (byte) c;
            c >>>= 8;
        }
        return nonce;
    }

    /** Messages counted so far. */
    public long count() {
        return counter;
    }
}
