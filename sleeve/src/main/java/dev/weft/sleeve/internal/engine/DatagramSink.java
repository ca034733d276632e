package dev.weft.sleeve.internal.engine;

import java.nio.ByteBuffer;

/**
 * Where a lane's sealed messages go: the UDP socket's send batch (sendmmsg with UDP
 * segmentation offload) or, in tests, an in-memory network. A message is cut into datagrams of
 * at most {@code datagramPayload} bytes (a 24-byte header and a fragment each); the sink writes
 * the headers. Used by one thread.
 */
public interface DatagramSink {
    /**
     * Queues one sealed message. {@code sealed[offset, offset + length)} must stay unchanged until
     * the next {@link #flush()}.
     *
     * @return false if the batch is full (flush, then queue again)
     */
    boolean queue(
            long remote,
            int kind,
            int cipherId,
            long sender,
            long seq,
            ByteBuffer sealed,
            int offset,
            int length,
            int datagramPayload);

    /** Sends everything queued; failures are reported to the listener given at construction. */
    void flush();

    /** Hears about datagrams the kernel refused. Called on the flushing thread. */
    interface SendFailures {
        /** {@code errno} for a message to {@code remote} (EMSGSIZE: the path MTU shrank). */
        void failed(long remote, int errno);
    }
}
