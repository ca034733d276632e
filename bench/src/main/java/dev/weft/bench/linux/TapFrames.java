package dev.weft.bench.linux;

import java.nio.ByteBuffer;

/** Ethernet frames for the TAP benchmarks. */
final class TapFrames {
    private TapFrames() {}

    /** A unicast frame 02:..:02 <- 02:..:01, ethertype 0x88b5 (local experimental), zero payload. */
    static ByteBuffer frame(int size) {
        ByteBuffer f = ByteBuffer.allocateDirect(Math.max(size, 2048));
        f.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, (byte) 0x88, (byte) 0xb5});
        f.clear().limit(size);
        return f;
    }
}
