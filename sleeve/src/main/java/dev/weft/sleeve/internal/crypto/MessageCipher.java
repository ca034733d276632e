package dev.weft.sleeve.internal.crypto;

import dev.weft.sleeve.api.DataPlaneCipher;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals or opens sleeve messages of one direction of one connection with the JDK's AEAD. The
 * 96-bit nonce is four zero bytes and the 64-bit message sequence number: the key is unique to
 * the direction (see {@link KeySchedule}) and the sender never repeats a number, so no nonce
 * repeats under a key.
 *
 * <p>Not thread-safe: one instance per thread that seals (or opens). Works in place when {@code
 * in} and {@code out} view the same memory at the same index. Each call re-initialises the JCA
 * cipher with the new nonce; that allocates a few hundred bytes inside the JDK per message (a
 * message is up to a 64 KiB super-frame, so this is per message, not per packet).
 */
public final class MessageCipher {
    private final DataPlaneCipher kind;
    private final SecretKeySpec key;
    private final Cipher cipher;
    private final byte[] nonce = new byte[12];
    private final int mode;
    /**
     * Heap staging for direct buffers: the JDK's AEADs run their intrinsics on arrays, and given a
     * direct buffer they copy it in small chunks (AES-GCM) or allocate a copy of all of it
     * (ChaCha20-Poly1305, 64 KiB per message). Two bulk copies into reused arrays are cheaper.
     */
    private byte[] stageIn = new byte[0];

    private byte[] stageOut = new byte[0];

    private MessageCipher(DataPlaneCipher kind, byte[] key, int mode) {
        if (!kind.encrypts()) {
            throw new IllegalArgumentException("cipher " + kind.displayName() + " does not encrypt");
        }
        this.kind = kind;
        this.mode = mode;
        this.key = new SecretKeySpec(key, kind == DataPlaneCipher.AES_256_GCM ? "AES" : "ChaCha20");
        try {
            this.cipher =
                    Cipher.getInstance(kind == DataPlaneCipher.AES_256_GCM ? "AES/GCM/NoPadding" : "ChaCha20-Poly1305");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(kind.displayName() + " is part of every JDK 25", e);
        }
    }

    /** A sealer with a 32-byte key (copied). */
    public static MessageCipher sealer(DataPlaneCipher kind, byte[] key) {
        return new MessageCipher(kind, key, Cipher.ENCRYPT_MODE);
    }

    /** An opener with a 32-byte key (copied). */
    public static MessageCipher opener(DataPlaneCipher kind, byte[] key) {
        return new MessageCipher(kind, key, Cipher.DECRYPT_MODE);
    }

    public DataPlaneCipher kind() {
        return kind;
    }

    /** Bytes the tag adds. */
    public int overhead() {
        return kind.tagBytes();
    }

    private void init(long seq) throws GeneralSecurityException {
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (seq >>> (56 - 8 * i));
        }
        AlgorithmParameterSpec spec =
                kind == DataPlaneCipher.AES_256_GCM ? new GCMParameterSpec(128, nonce) : new IvParameterSpec(nonce);
        cipher.init(mode, key, spec);
    }

    private int run(ByteBuffer in, ByteBuffer out) throws GeneralSecurityException {
        int n = in.remaining();
        if (stageIn.length < n) {
            stageIn = new byte[Math.max(n, 2048)];
            stageOut = new byte[Math.max(n, 2048) + 16];
        }
        byte[] src;
        int srcOffset;
        if (in.hasArray()) {
            src = in.array();
            srcOffset = in.arrayOffset() + in.position();
        } else {
            in.get(in.position(), stageIn, 0, n);
            src = stageIn;
            srcOffset = 0;
        }
        int m;
        if (out.hasArray()) {
            m = cipher.doFinal(src, srcOffset, n, out.array(), out.arrayOffset() + out.position());
            out.position(out.position() + m);
        } else {
            m = cipher.doFinal(src, srcOffset, n, stageOut, 0);
            if (out.remaining() < m) {
                throw new ShortBufferException("need " + m + " bytes, have " + out.remaining());
            }
            out.put(stageOut, 0, m);
        }
        in.position(in.limit());
        return m;
    }

    /**
     * Encrypts {@code in}'s remaining bytes to {@code out} at its position and appends the tag.
     * Consumes {@code in} and {@code aad}; advances {@code out}. Returns the sealed length
     * (plaintext length plus {@link #overhead()}).
     *
     * @throws IllegalStateException if {@code out} has no room (a caller bug) or the JDK refuses
     */
    public int seal(ByteBuffer in, ByteBuffer out, ByteBuffer aad, long seq) {
        if (mode != Cipher.ENCRYPT_MODE) {
            throw new IllegalStateException("an opener cannot seal");
        }
        try {
            init(seq);
            cipher.updateAAD(aad);
            return run(in, out);
        } catch (ShortBufferException e) {
            throw new IllegalStateException("sealing buffer too small", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing failed", e);
        }
    }

    /**
     * Decrypts and authenticates {@code in}'s remaining bytes (ciphertext and tag) to {@code out}
     * at its position. Returns the plaintext length, or -1 if the message is not authentic (then
     * {@code out}'s bytes in the range are unspecified and must not be used).
     */
    public int open(ByteBuffer in, ByteBuffer out, ByteBuffer aad, long seq) {
        if (mode != Cipher.DECRYPT_MODE) {
            throw new IllegalStateException("a sealer cannot open");
        }
        if (in.remaining() < overhead()) {
            return -1;
        }
        try {
            init(seq);
            cipher.updateAAD(aad);
            return run(in, out);
        } catch (AEADBadTagException e) {
            return -1;
        } catch (ShortBufferException e) {
            throw new IllegalStateException("opening buffer too small", e);
        } catch (GeneralSecurityException e) {
            return -1;
        }
    }
}
