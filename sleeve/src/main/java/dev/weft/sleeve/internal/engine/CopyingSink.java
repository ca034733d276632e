package dev.weft.sleeve.internal.engine;

import dev.weft.sleeve.internal.wire.DatagramHeader;
import java.nio.ByteBuffer;

/**
 * A {@link DatagramSink} that cuts each message into datagrams exactly as {@link SocketSink} does
 * and copies every datagram (header and fragment) into a buffer of its own: the in-memory network of
 * the engine tests, the fuzzer's capture, the benchmark's receive-side preparation. Not for the send
 * path: it allocates per datagram, where {@link SocketSink} references the sealed bytes where they
 * lie. Never full ({@link #queue} always returns true). Used by one thread.
 */
public abstract class CopyingSink implements DatagramSink {

    @Override
    public final boolean queue(
            long remote,
            int kind,
            int cipherId,
            long sender,
            long seq,
            ByteBuffer sealed,
            int offset,
            int length,
            int datagramPayload) {
        int f = Fragments.fragmentLength(length, datagramPayload);
        for (int at = 0; at < length; at += f) {
            int n = Math.min(f, length - at);
            ByteBuffer d = newDatagram(DatagramHeader.LENGTH + n);
            DatagramHeader.write(d, 0, kind, cipherId, sender, length, at, seq);
            d.put(DatagramHeader.LENGTH, sealed, offset + at, n);
            datagram(remote, d);
        }
        return true;
    }

    /** A buffer of exactly {@code length} bytes for one datagram: a heap buffer unless overridden. */
    protected ByteBuffer newDatagram(int length) {
        return ByteBuffer.allocate(length);
    }

    /**
     * One datagram for {@code remote}: all of {@code datagram} (position 0, capacity its length),
     * from {@link #newDatagram}; the sink's to keep.
     */
    protected abstract void datagram(long remote, ByteBuffer datagram);
}
