package dev.weft.bench.gossip;

import dev.weft.gossip.internal.crypto.NonceCounter;
import dev.weft.gossip.internal.crypto.SecretBox;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Sealing and opening control-plane frames with XSalsa20-Poly1305 (BouncyCastle, as the mesh does),
 * one thread, {@code size}-byte messages. MB/s = ops/s x size (bench/gossip prints it). The
 * baseline is the JDK's own ChaCha20-Poly1305 AEAD on the same sizes in the same run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SealBench {

    @Param({"1024", "16384", "65536"})
    public int size;

    private SecretBox box;
    private NonceCounter nonces;
    private byte[] fixedNonce;
    private byte[] plain;
    private byte[] sealed;
    private byte[] sealedOnce;
    private byte[] opened;
    private Cipher jdk;
    private SecretKeySpec jdkKey;
    private byte[] jdkNonce;
    private long jdkCounter;

    @Setup(Level.Trial)
    public void setUp() throws GeneralSecurityException {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i + 1);
        }
        box = new SecretBox(key);
        nonces = new NonceCounter(true);
        fixedNonce = new byte[SecretBox.NONCE_BYTES];
        plain = new byte[size];
        sealed = new byte[size + SecretBox.TAG_BYTES];
        sealedOnce = new byte[size + SecretBox.TAG_BYTES];
        opened = new byte[size];
        box.seal(fixedNonce, plain, 0, size, sealedOnce, 0);
        jdk = Cipher.getInstance("ChaCha20-Poly1305");
        jdkKey = new SecretKeySpec(key, "ChaCha20");
        jdkNonce = new byte[12];
    }

    @Benchmark
    public byte[] seal() {
        box.seal(nonces.next(), plain, 0, size, sealed, 0);
        return sealed;
    }

    @Benchmark
    public boolean open() {
        return box.open(fixedNonce, sealedOnce, 0, sealedOnce.length, opened, 0);
    }

    /** The JDK's ChaCha20-Poly1305 sealing the same bytes (a fresh nonce each time, as it insists). */
    @Benchmark
    public int jdkChaChaSealBaseline() throws GeneralSecurityException {
        long c = ++jdkCounter;
        for (int i = 0; i < 8; i++) {
            jdkNonce[4 + i] = (byte) (c >>> (56 - 8 * i));
        }
        jdk.init(Cipher.ENCRYPT_MODE, jdkKey, new IvParameterSpec(jdkNonce));
        return jdk.doFinal(plain, 0, size, sealed, 0);
    }
}
