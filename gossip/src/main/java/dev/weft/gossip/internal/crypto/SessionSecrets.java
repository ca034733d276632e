package dev.weft.gossip.internal.crypto;

import dev.weft.gossip.spi.SessionKey;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * The key exchange of one encrypted connection (docs/protocol.md, "Keys"): an ephemeral X25519
 * key pair per connection, and keys derived with HKDF-SHA256 from the shared secret, salted with
 * the password and bound to both public keys and both connection IDs. Weave's mesh used plain
 * SHA-256(shared || password); HKDF with the transcript in {@code info} also binds the keys to this
 * very handshake.
 */
public final class SessionSecrets {

    private static final byte[] ROOT_INFO = "weft session v1".getBytes(StandardCharsets.US_ASCII);

    /** The control-plane key for messages the dialler sends. */
    public final byte[] dialerToAcceptor;

    /** The control-plane key for messages the acceptor sends. */
    public final byte[] acceptorToDialer;

    /** What overlays derive their keys from. */
    public final SessionKey overlayKey;

    private SessionSecrets(byte[] d2a, byte[] a2d, SessionKey overlay) {
        this.dialerToAcceptor = d2a;
        this.acceptorToDialer = a2d;
        this.overlayKey = overlay;
    }

    /** A fresh X25519 key pair: [private, public], 32 bytes each. */
    public static byte[][] newKeyPair(SecureRandom random) {
        byte[] priv = new byte[X25519.SCALAR_SIZE];
        X25519.generatePrivateKey(random, priv);
        byte[] pub = new byte[X25519.POINT_SIZE];
        X25519.generatePublicKey(priv, 0, pub, 0);
        return new byte[][] {priv, pub};
    }

    /**
     * Derives the connection's keys.
     *
     * @throws IllegalArgumentException if the remote public key is a low-order point (the shared
     *     secret would be all zeros)
     */
    public static SessionSecrets derive(
            byte[] ourPrivate,
            byte[] theirPublic,
            byte[] password,
            byte[] dialerPublic,
            byte[] acceptorPublic,
            long dialerConnectionId,
            long acceptorConnectionId) {
        byte[] shared = new byte[X25519.POINT_SIZE];
        if (!X25519.calculateAgreement(ourPrivate, 0, theirPublic, 0, shared, 0)) {
            throw new IllegalArgumentException("remote public key is a low-order point");
        }
        byte[] info = new byte[ROOT_INFO.length + 64 + 16];
        System.arraycopy(ROOT_INFO, 0, info, 0, ROOT_INFO.length);
        System.arraycopy(dialerPublic, 0, info, ROOT_INFO.length, 32);
        System.arraycopy(acceptorPublic, 0, info, ROOT_INFO.length + 32, 32);
        putLong(info, ROOT_INFO.length + 64, dialerConnectionId);
        putLong(info, ROOT_INFO.length + 72, acceptorConnectionId);
        byte[] root = hkdf(shared, password, info, 32);
        Arrays.fill(shared, (byte) 0);
        byte[] d2a = expand(root, "weft tcp dialer->acceptor");
        byte[] a2d = expand(root, "weft tcp acceptor->dialer");
        SessionKey overlay = new SessionKey(expand(root, "weft overlay root"));
        Arrays.fill(root, (byte) 0);
        return new SessionSecrets(d2a, a2d, overlay);
    }

    private static byte[] expand(byte[] prk, String label) {
        HKDFBytesGenerator g = new HKDFBytesGenerator(new SHA256Digest());
        g.init(HKDFParameters.skipExtractParameters(prk, label.getBytes(StandardCharsets.US_ASCII)));
        byte[] out = new byte[32];
        g.generateBytes(out, 0, 32);
        return out;
    }

    /** HKDF-SHA256 (extract with {@code salt}, then expand with {@code info}). */
    static byte[] hkdf(byte[] ikm, byte[] salt, byte[] info, int length) {
        HKDFBytesGenerator g = new HKDFBytesGenerator(new SHA256Digest());
        g.init(new HKDFParameters(ikm, salt, info));
        byte[] out = new byte[length];
        g.generateBytes(out, 0, length);
        return out;
    }

    private static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }
}
