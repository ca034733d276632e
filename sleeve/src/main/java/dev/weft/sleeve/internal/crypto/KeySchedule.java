package dev.weft.sleeve.internal.crypto;

import dev.weft.gossip.spi.SessionKey;
import dev.weft.sleeve.api.DataPlaneCipher;
import java.util.HexFormat;

/**
 * Derives the data-plane keys of one sleeve connection from the connection's {@link SessionKey}
 * (agreed by the control-plane handshake: X25519 with fresh keys per connection, mixed with the
 * password). One 32-byte key per direction, from HKDF-SHA256-Expand with the label
 *
 * <pre>sleeve &lt;cipher&gt; &lt;sender&gt;-&gt;&lt;receiver&gt; &lt;connection uid, 16 hex digits&gt;</pre>
 *
 * (peer names as 12 hex digits). Separate keys per direction let both ends number their messages
 * from zero without ever repeating a nonce under one key, and the label keeps these keys apart from
 * the control plane's and from other overlays'. Stateless; thread-safe.
 */
public final class KeySchedule {
    public static final int KEY_BYTES = 32;
    private static final HexFormat HEX = HexFormat.of();

    private KeySchedule() {}

    /** The HKDF label of one direction (public for the protocol document's test vectors). */
    public static String label(DataPlaneCipher cipher, long sender, long receiver, long connectionUid) {
        return "sleeve " + cipher.displayName() + " " + HEX.toHexDigits(sender).substring(4) + "->"
                + HEX.toHexDigits(receiver).substring(4) + " " + HEX.toHexDigits(connectionUid);
    }

    /**
     * The key the peer {@code sender} seals with and {@code receiver} opens with; a fresh array.
     *
     * @throws IllegalArgumentException for the {@code NONE} cipher
     */
    public static byte[] directionKey(
            SessionKey sessionKey, DataPlaneCipher cipher, long sender, long receiver, long connectionUid) {
        if (!cipher.encrypts()) {
            throw new IllegalArgumentException("no key for cipher " + cipher.displayName());
        }
        return sessionKey.derive(label(cipher, sender, receiver, connectionUid), KEY_BYTES);
    }
}
