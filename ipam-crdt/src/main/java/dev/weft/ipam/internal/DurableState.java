package dev.weft.ipam.internal;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The allocator's last durable state, encoded: written when a batch is on disk (store thread), read
 * by periodic gossip (mesh threads). The only allocator state shared between threads.
 */
final class DurableState {

    private final AtomicReference<byte[]> bytes = new AtomicReference<>();

    void set(byte[] b) {
        bytes.set(b);
    }

    byte[] get() {
        return bytes.get();
    }
}
