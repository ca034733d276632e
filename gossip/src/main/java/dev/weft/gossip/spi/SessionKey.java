package dev.weft.gossip.spi;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret both ends of one encrypted connection derived in the handshake. It never leaves this
 * object: overlays (sleeve, fastpath) get subkeys with {@link #derive}, so their keys are
 * independent of the control-plane key and of each other (domain separation by label).
 *
 * <p>Thread-safe and immutable. Both ends of a connection derive the same subkey for the same label
 * and length.
 */
public final class SessionKey {

    private static final String PREFIX = "weft overlay key v1: ";
    private final byte[] prk;

    /**
     * Wraps a 32-byte pseudorandom key (the output of the handshake's HKDF-Extract). Copies it.
     *
     * @throws IllegalArgumentException if not 32 bytes
     */
    public SessionKey(byte[] pseudorandomKey) {
        if (pseudorandomKey.length != 32) {
            throw new IllegalArgumentException("session key must be 32 bytes");
        }
        this.prk = pseudorandomKey.clone();
    }

    /**
     * HKDF-SHA256-Expand(PRK, info = "weft overlay key v1: " + label, length). Use a label per
     * purpose and direction, e.g. {@code "sleeve outbound->inbound"}.
     *
     * @param label names the purpose; non-empty
     * @param length bytes wanted, 1..8160
     * @return a fresh array the caller owns
     */
    public byte[] derive(String label, int length) {
        if (label == null || label.isEmpty()) {
            throw new IllegalArgumentException("label must not be empty");
        }
        if (length < 1 || length > 255 * 32) {
            throw new IllegalArgumentException("length must be 1..8160: " + length);
        }
        byte[] info = (PREFIX + label).getBytes(StandardCharsets.UTF_8);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(prk, "HmacSHA256"));
            byte[] out = new byte[length];
            byte[] t = new byte[0];
            int done = 0;
            for (int i = 1; done < length; i++) {
                mac.update(t);
                mac.update(info);
                mac.update((byte) i);
                t = mac.doFinal();
                int n = Math.min(t.length, length - done);
                System.arraycopy(t, 0, out, done, n);
                done += n;
            }
            Arrays.fill(t, (byte) 0);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "SessionKey[redacted]";
    }
}
