package dev.weft.bench.sleeve;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.*;

/** Raw JCA AEAD throughput: heap arrays vs direct buffers, in place vs out of place. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class JcaAeadProbe {
    @Param({"65536"})
    int size;

    @Param({"AES/GCM/NoPadding", "ChaCha20-Poly1305"})
    String alg;

    Cipher cipher;
    SecretKeySpec key;
    byte[] heap;
    byte[] heap2;
    ByteBuffer direct;
    ByteBuffer direct2;
    byte[] nonce = new byte[12];
    long seq;

    @Setup
    public void setup() throws Exception {
        cipher = Cipher.getInstance(alg);
        key = new SecretKeySpec(new byte[32], alg.startsWith("AES") ? "AES" : "ChaCha20");
        heap = new byte[size + 16];
        heap2 = new byte[size + 16];
        direct = ByteBuffer.allocateDirect(size + 16);
        direct2 = ByteBuffer.allocateDirect(size + 16);
    }

    private void init() throws Exception {
        seq++;
        for (int i = 0; i < 8; i++) nonce[4 + i] = (byte) (seq >>> (56 - 8 * i));
        if (alg.startsWith("AES")) {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        } else {
            cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(nonce));
        }
    }

    @Benchmark
    public int heapInPlace() throws Exception {
        init();
        return cipher.doFinal(heap, 0, size, heap, 0);
    }

    @Benchmark
    public int directInPlace() throws Exception {
        init();
        direct.clear().limit(size);
        ByteBuffer out = direct.duplicate();
        out.clear();
        return cipher.doFinal(direct, out);
    }

    @Benchmark
    public int heapToHeap() throws Exception {
        init();
        return cipher.doFinal(heap, 0, size, heap2, 0);
    }

    @Benchmark
    public int heapToDirect() throws Exception {
        init();
        direct2.clear();
        return cipher.doFinal(ByteBuffer.wrap(heap, 0, size), direct2);
    }

    @Benchmark
    public int directToHeap() throws Exception {
        init();
        direct.clear().limit(size);
        return cipher.doFinal(direct, ByteBuffer.wrap(heap2));
    }

    @Benchmark
    public int directToDirect() throws Exception {
        init();
        direct.clear().limit(size);
        direct2.clear();
        return cipher.doFinal(direct, direct2);
    }
}
