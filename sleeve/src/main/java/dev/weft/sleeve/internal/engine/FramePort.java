package dev.weft.sleeve.internal.engine;

import java.nio.ByteBuffer;

/**
 * The TAP side of the data plane: frames in and out of the local bridge. With a vnet header every
 * frame is preceded by a 10-byte {@code virtio_net_hdr} (little-endian) carrying its offload
 * metadata. One reader thread and one writer thread at a time.
 */
public interface FramePort extends AutoCloseable {
    /** Bytes of the vnet header before every frame (0 without one). */
    int vnetHeaderLength();

    /**
     * Reads one frame (its vnet header first) into {@code dst} at its position, advancing it.
     *
     * @param block wait for a frame (until woken or closed) rather than return 0 at once
     * @return bytes read; 0 if none (or woken); -1 once closed
     */
    int read(ByteBuffer dst, boolean block);

    /**
     * Writes {@code src}'s bytes between position and limit (vnet header first) as one frame.
     *
     * @return bytes written; 0 if the kernel dropped it
     */
    int write(ByteBuffer src);

    String name();

    /** Makes a blocked read return 0. Any thread. */
    void wakeup();

    @Override
    void close();
}
