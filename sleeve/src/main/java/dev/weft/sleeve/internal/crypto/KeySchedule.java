package dev.weft.sleeve.internal.crypto;

import dev.weft.sleeve.api.DataPlaneCipher;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.KDF;
import javax.crypto.spec.HKDFParameterSpec;

/**
 * Derives the data-plane keys of one sleeve connection from the mesh session key (the X25519
 * shared secret hashed with the password, agreed by the control-plane handshake).
 *
 * <p>One key per direction: {@code HKDF-SHA256(ikm = session key, salt = "weft-sleeve-v1",
 * info = cipher id (1) || sender name (6) || receiver name (6) || connection UID (8), L = 32)}.
 * Separate keys per direction let both ends count their message numbers from zero without ever
 * reusing a nonce, and the TCP channel's own sealing never shares a key with the data plane.
 * Stateless; thread-safe.
 */
public final class KeySchedule {
    static final byte[] SALT = "weft-sleeve-v1".getBytes(StandardCharsets.US_ASCII);
    public static final int KEY_BYTES = 32;

    private KeySchedule() {}

    /**
     * The key the peer {@code sender} seals with and {@code receiver} opens with.
     *
     * @param sessionKey the 32-byte session key of the connection; not retained
     * @throws IllegalArgumentException for a key of the wrong size or the {@code NONE} cipher
     */
    public static byte[] directionKey(
            byte[] sessionKey, DataPlaneCipher cipher, long sender, long receiver, long connectionUid) {
        if (sessionKey.length != 32) {
            throw new IllegalArgumentException("session key must be 32 bytes, got " + sessionKey.length);
        }
        if (!cipher.encrypts()) {
            throw new IllegalArgumentException("no key for cipher " + cipher.displayName());
        }
        byte[] info = ByteBuffer.allocate(21)
                .put((byte) cipher.wireId())
                .putShort((short) (sender >>> 32))
                .putInt((int) sender)
                .putShort((short) (receiver >>> 32))
                .putInt((int) receiver)
                .putLong(connectionUid)
                .array();
        try {
            KDF hkdf = KDF.getInstance("HKDF-SHA256");
            return hkdf.deriveData(HKDFParameterSpec.ofExtract()
                    .addIKM(sessionKey)
                    .addSalt(SALT)
                    .thenExpand(info, KEY_BYTES));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HKDF-SHA256 is part of every JDK 25", e);
        } finally {
            Arrays.fill(info, (byte) 0);
        }
    }
}
