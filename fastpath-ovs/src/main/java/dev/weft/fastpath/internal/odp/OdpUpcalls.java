package dev.weft.fastpath.internal.odp;

import dev.weft.linux.api.MalformedMessageException;
import dev.weft.linux.api.Netlink;
import dev.weft.linux.api.NetlinkSocket;
import java.util.function.Consumer;

/**
 * The socket the datapath sends miss upcalls to: vports are created (or set) with {@link
 * #portId()} as their upcall pid, and {@link #receive} hands each miss to a consumer.
 *
 * <p>One thread receives (the upcall loop); {@link #close()} from any thread makes it return.
 * A malformed upcall is counted in {@link #malformed()} and skipped, never fatal.
 */
public final class OdpUpcalls implements AutoCloseable {
    /** Up to a 64 KiB frame plus its key and headers per datagram, several queued. */
    private static final int RECEIVE_BUFFER = 256 * 1024;

    private final NetlinkSocket socket;
    private long malformed;

    private OdpUpcalls(NetlinkSocket socket) {
        this.socket = socket;
    }

    /** Opens the upcall socket in the calling thread's network namespace. */
    public static OdpUpcalls open() {
        NetlinkSocket socket = NetlinkSocket.open(Netlink.GENERIC, RECEIVE_BUFFER);
        try {
            socket.setKernelReceiveBuffer(4 * 1024 * 1024);
        } catch (RuntimeException e) {
            // best effort: a smaller queue only means misses are dropped sooner under a burst
        }
        return new OdpUpcalls(socket);
    }

    /** The netlink port id the kernel sends this socket's upcalls to. */
    public int portId() {
        return socket.portId();
    }

    /**
     * Waits up to {@code timeoutMillis} (-1 forever) for upcalls and passes each miss to {@code
     * misses} on this thread. Returns the number of messages read, 0 on timeout, -1 once closed.
     */
    public int receive(Consumer<OdpMiss> misses, int timeoutMillis) {
        return socket.receive(
                message -> {
                    OdpMiss miss;
                    try {
                        miss = OdpCodec.decodeMiss(message);
                    } catch (MalformedMessageException e) {
                        malformed++;
                        return;
                    }
                    if (miss != null) {
                        misses.accept(miss);
                    }
                },
                timeoutMillis);
    }

    /** Makes a blocked (or the next) {@link #receive} return 0 at once. Any thread. */
    public void wakeup() {
        socket.wakeup();
    }

    /** Upcalls skipped because they were malformed (upcall thread only). */
    public long malformed() {
        return malformed;
    }

    @Override
    public void close() {
        socket.close();
    }
}
