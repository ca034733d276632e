package dev.weft.gossip.internal.crypto;

import java.security.MessageDigest;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * NaCl {@code crypto_secretbox} (XSalsa20-Poly1305) with one key, on BouncyCastle primitives: the
 * first 32 bytes of the XSalsa20 key stream key Poly1305, the rest encrypts; output is the 16-byte
 * tag followed by the ciphertext (libsodium's "easy" layout). Byte-compatible with libsodium (see
 * the test vectors).
 *
 * <p>Not thread-safe: one instance per direction of a connection, used from one thread. Allocates
 * only a small parameter object per message.
 */
public final class SecretBox {

    public static final int KEY_BYTES = 32;
    public static final int NONCE_BYTES = 24;
    public static final int TAG_BYTES = 16;

    private final KeyParameter key;
    private final XSalsa20Engine cipher = new XSalsa20Engine();
    private final Poly1305 mac = new Poly1305();
    private final byte[] polyKey = new byte[32];
    private final byte[] tag = new byte[TAG_BYTES];

    /** @param key 32 bytes; copied */
    public SecretBox(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("secretbox key must be 32 bytes");
        }
        this.key = new KeyParameter(key.clone());
    }

    private void start(byte[] nonce) {
        if (nonce.length != NONCE_BYTES) {
            throw new IllegalArgumentException("secretbox nonce must be 24 bytes");
        }
        cipher.init(true, new ParametersWithIV(key, nonce));
        java.util.Arrays.fill(polyKey, (byte) 0);
        cipher.processBytes(polyKey, 0, 32, polyKey, 0);
        mac.init(new KeyParameter(polyKey));
    }

    /**
     * Seals {@code len} bytes of {@code in} at {@code inOff} into {@code out} at {@code outOff}:
     * tag then ciphertext, {@code len + 16} bytes. The two regions must not overlap.
     */
    public void seal(byte[] nonce, byte[] in, int inOff, int len, byte[] out, int outOff) {
        start(nonce);
        cipher.processBytes(in, inOff, len, out, outOff + TAG_BYTES);
        mac.update(out, outOff + TAG_BYTES, len);
        mac.doFinal(out, outOff);
    }

    /**
     * Opens a sealed box of {@code len} bytes (tag + ciphertext) into {@code out} ({@code len - 16}
     * bytes). Verifies the tag in constant time before decrypting.
     *
     * @return false if the box is too short or was forged, replayed or reordered (wrong nonce)
     */
    public boolean open(byte[] nonce, byte[] in, int inOff, int len, byte[] out, int outOff) {
        if (len < TAG_BYTES) {
            return false;
        }
        start(nonce);
        mac.update(in, inOff + TAG_BYTES, len - TAG_BYTES);
        mac.doFinal(tag, 0);
        byte[] given = java.util.Arrays.copyOfRange(in, inOff, inOff + TAG_BYTES);
        if (!MessageDigest.isEqual(tag, given)) {
            return false;
        }
        cipher.processBytes(in, inOff + TAG_BYTES, len - TAG_BYTES, out, outOff);
        return true;
    }
}
