package dev.weft.sleeve.internal.engine;

import dev.weft.linux.api.UdpSendBatch;
import dev.weft.linux.api.UdpSocket;
import dev.weft.sleeve.internal.wire.DatagramHeader;
import java.nio.ByteBuffer;

/**
 * The real {@link DatagramSink}: cuts each message into datagrams, writes their headers into the
 * batch and references the sealed bytes where they lie; {@link #flush()} hands the batch to the
 * kernel in one {@code sendmmsg} with UDP segmentation offload. Owned by one thread.
 */
public final class SocketSink implements DatagramSink {
    private final UdpSocket socket;
    private final UdpSendBatch batch;
    private final SendFailures failures;

    public SocketSink(UdpSocket socket, int maxDatagrams, boolean segmentation, SendFailures failures) {
        this.socket = socket;
        this.batch = new UdpSendBatch(maxDatagrams, DatagramHeader.LENGTH, segmentation);
        this.failures = failures;
    }

    @Override
    public boolean queue(
            long remote,
            int kind,
            int cipherId,
            long sender,
            long seq,
            ByteBuffer sealed,
            int offset,
            int length,
            int datagramPayload) {
        int fragment = Fragments.fragmentLength(length, datagramPayload);
        int count = (length + fragment - 1) / fragment;
        if (count > batch.room()) {
            if (batch.isEmpty()) {
                throw new IllegalStateException("a message of " + count + " datagrams exceeds the batch");
            }
            return false;
        }
        int ip = UdpAddress.ip(remote);
        int port = UdpAddress.port(remote);
        ByteBuffer headers = batch.headers();
        for (int at = 0; at < length; at += fragment) {
            int n = Math.min(fragment, length - at);
            DatagramHeader.write(headers, batch.nextHeaderIndex(), kind, cipherId, sender, length, at, seq);
            batch.add(ip, port, DatagramHeader.LENGTH, sealed, offset + at, n);
        }
        return true;
    }

    @Override
    public void flush() {
        if (batch.isEmpty()) {
            return;
        }
        socket.send(batch);
        for (int i = 0; i < batch.failures(); i++) {
            failures.failed(batch.failedRemote(i), batch.failedErrno(i));
        }
    }
}
