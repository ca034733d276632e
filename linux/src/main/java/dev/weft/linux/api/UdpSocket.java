package dev.weft.linux.api;

import dev.weft.linux.internal.FdHandle;
import dev.weft.linux.internal.ffi.Native;
import dev.weft.linux.internal.ffm.UdpCalls;
import dev.weft.linux.internal.uapi.Sys;
import java.nio.ByteBuffer;

/**
 * An IPv4 UDP socket for a userspace data plane, with what {@link java.nio.channels.DatagramChannel}
 * lacks: batched sends and receives ({@code sendmmsg}/{@code recvmmsg}), UDP segmentation offload
 * (one send of up to 64 equal datagrams, {@code UDP_SEGMENT}) and receive coalescing ({@code
 * UDP_GRO}), don't-fragment with the kernel's path MTU ({@code IP_MTU_DISCOVER}, {@code IP_MTU}),
 * and socket buffers sized past the sysctl limits ({@code SO_RCVBUFFORCE}, needs CAP_NET_ADMIN).
 *
 * <p>The socket lives in the network namespace of the thread that opens it (use {@link
 * NetNs#call}). Threads: one receiver (with its {@link UdpReceiveBatch}) and any number of
 * senders (each with its own {@link UdpSendBatch}) may use it at once; {@link #wakeup()} and
 * {@link #close()} may be called from any thread and make a blocked receive return.
 */
public final class UdpSocket implements AutoCloseable {
    static final int IPPROTO_IP = 0;
    static final int IPPROTO_UDP = 17;
    static final int IP_MTU_DISCOVER = 10;
    static final int IP_MTU = 14;
    static final int IP_PMTUDISC_DO = 2;
    static final int UDP_SEGMENT = 103;
    static final int UDP_GRO = 104;
    static final int SO_REUSEADDR = 2;

    private final FdHandle handle;
    private final int port;
    private final boolean gro;
    private final int receiveBuffer;
    private final int sendBuffer;

    private UdpSocket(FdHandle handle, int port, boolean gro, int receiveBuffer, int sendBuffer) {
        this.handle = handle;
        this.port = port;
        this.gro = gro;
        this.receiveBuffer = receiveBuffer;
        this.sendBuffer = sendBuffer;
    }

    /**
     * What to open.
     *
     * @param bindAddress IPv4 address to bind, as a big-endian int (0 = any)
     * @param port UDP port to bind (0 = ephemeral)
     * @param receiveBufferBytes SO_RCVBUF wanted, in bytes (0 = kernel default)
     * @param sendBufferBytes SO_SNDBUF wanted, in bytes (0 = kernel default)
     * @param dontFragment set DF on every datagram and honour the path MTU (EMSGSIZE beyond it)
     * @param receiveCoalescing ask for UDP_GRO: receives may return several datagrams of one
     *     sender in one buffer, with {@link UdpReceiveBatch#segmentSize}
     */
    public record Options(
            int bindAddress,
            int port,
            int receiveBufferBytes,
            int sendBufferBytes,
            boolean dontFragment,
            boolean receiveCoalescing) {
        public Options {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            if (receiveBufferBytes < 0 || sendBufferBytes < 0) {
                throw new IllegalArgumentException("buffer sizes must be >= 0");
            }
        }
    }

    /**
     * Opens and binds a socket. Blocks for a few system calls.
     *
     * @throws KernelException e.g. EADDRINUSE
     */
    public static UdpSocket open(Options o) {
        UdpCalls.Errno err = new UdpCalls.Errno();
        int fd = UdpCalls.socket(err, Sys.AF_INET, Sys.SOCK_DGRAM | Sys.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new KernelException("socket(AF_INET, SOCK_DGRAM)", err.get());
        }
        try {
            ByteBuffer v = Native.allocate(16);
            long va = Native.address(v);
            if (o.receiveBufferBytes() > 0) {
                setBuffer(err, fd, v, va, Sys.SO_RCVBUFFORCE, Sys.SO_RCVBUF, o.receiveBufferBytes());
            }
            if (o.sendBufferBytes() > 0) {
                setBuffer(err, fd, v, va, Sys.SO_SNDBUFFORCE, Sys.SO_SNDBUF, o.sendBufferBytes());
            }
            if (o.dontFragment()) {
                v.putInt(0, IP_PMTUDISC_DO);
                check(err, UdpCalls.setsockopt(err, fd, IPPROTO_IP, IP_MTU_DISCOVER, va, 4), "set IP_MTU_DISCOVER");
            }
            boolean gro = false;
            if (o.receiveCoalescing()) {
                v.putInt(0, 1);
                gro = UdpCalls.setsockopt(err, fd, IPPROTO_UDP, UDP_GRO, va, 4) == 0;
            }
            ByteBuffer sa = Native.allocate(16);
            writeSockaddr(sa, 0, o.bindAddress(), o.port());
            check(err, UdpCalls.bind(err, fd, Native.address(sa), 16), "bind udp port " + o.port());
            v.putInt(8, 16);
            check(err, UdpCalls.getsockname(err, fd, Native.address(sa), va + 8), "getsockname");
            int port = Short.toUnsignedInt(Short.reverseBytes(sa.getShort(2)));
            int rcv = getInt(err, fd, v, va, Sys.SO_RCVBUF);
            int snd = getInt(err, fd, v, va, Sys.SO_SNDBUF);
            return new UdpSocket(new FdHandle(fd, "udp port " + port), port, gro, rcv, snd);
        } catch (RuntimeException e) {
            UdpCalls.close(err, fd);
            throw e;
        }
    }

    private static void setBuffer(UdpCalls.Errno err, int fd, ByteBuffer v, long va, int force, int plain, int bytes) {
        v.putInt(0, bytes);
        if (UdpCalls.setsockopt(err, fd, Sys.SOL_SOCKET, force, va, 4) != 0) {
            // Without CAP_NET_ADMIN the kernel caps the size at net.core.[rw]mem_max.
            check(err, UdpCalls.setsockopt(err, fd, Sys.SOL_SOCKET, plain, va, 4), "set socket buffer");
        }
    }

    private static int getInt(UdpCalls.Errno err, int fd, ByteBuffer v, long va, int option) {
        v.putInt(8, 4);
        check(err, UdpCalls.getsockopt(err, fd, Sys.SOL_SOCKET, option, va, va + 8), "getsockopt");
        return v.getInt(0);
    }

    private static void check(UdpCalls.Errno err, int result, String what) {
        if (result < 0) {
            throw new KernelException(what, err.get());
        }
    }

    /** Writes a {@code struct sockaddr_in} at {@code at} of a native-order buffer. */
    static void writeSockaddr(ByteBuffer b, int at, int ipv4, int port) {
        b.putShort(at, (short) Sys.AF_INET);
        b.putShort(at + 2, Short.reverseBytes((short) port));
        b.putInt(at + 4, Integer.reverseBytes(ipv4));
        b.putLong(at + 8, 0);
    }

    /** The bound port (the kernel's choice if 0 was asked for). */
    public int port() {
        return port;
    }

    /** True if the kernel accepted UDP_GRO. */
    public boolean receiveCoalescing() {
        return gro;
    }

    /** The receive buffer the kernel granted, in bytes (it reports twice what was asked). */
    public int receiveBufferBytes() {
        return receiveBuffer;
    }

    /** The send buffer the kernel granted, in bytes. */
    public int sendBufferBytes() {
        return sendBuffer;
    }

    /**
     * Sends everything in {@code batch} (blocking while the send buffer is full), then clears it.
     * Datagrams the kernel refuses are recorded in the batch ({@link UdpSendBatch#failures()}) and
     * skipped; the rest still go.
     *
     * @return datagrams sent
     * @throws IllegalStateException if the socket is closed
     */
    public int send(UdpSendBatch batch) {
        if (!handle.acquire()) {
            throw new IllegalStateException("udp port " + port + " is closed");
        }
        try {
            return batch.sendOn(handle.fd());
        } finally {
            handle.release();
        }
    }

    /**
     * Receives into {@code batch}: what is queued now, or (with {@code wait}) blocks until
     * something arrives or {@link #wakeup()}.
     *
     * @return messages received (0 if woken or nothing queued); -1 once closed
     */
    public int receive(UdpReceiveBatch batch, boolean wait) {
        if (!handle.acquire()) {
            return -1;
        }
        try {
            for (; ; ) {
                int n = batch.receiveOn(handle.fd());
                if (n != 0) {
                    return n;
                }
                if (!wait) {
                    return 0;
                }
                if (!handle.awaitReadable(-1)) {
                    return handle.isClosed() ? -1 : 0;
                }
            }
        } finally {
            handle.release();
        }
    }

    /**
     * The kernel's path MTU towards {@code ipv4:port}, in bytes (the route's MTU, lowered by ICMP
     * "fragmentation needed" it received). Opens a short-lived connected socket; blocks briefly.
     */
    public static int pathMtu(int ipv4, int port) {
        UdpCalls.Errno err = new UdpCalls.Errno();
        int fd = UdpCalls.socket(err, Sys.AF_INET, Sys.SOCK_DGRAM | Sys.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new KernelException("socket for IP_MTU", err.get());
        }
        try {
            ByteBuffer b = Native.allocate(32);
            long a = Native.address(b);
            b.putInt(16, IP_PMTUDISC_DO);
            check(err, UdpCalls.setsockopt(err, fd, IPPROTO_IP, IP_MTU_DISCOVER, a + 16, 4), "set IP_MTU_DISCOVER");
            writeSockaddr(b, 0, ipv4, port);
            check(err, UdpCalls.connect(err, fd, a, 16), "connect for IP_MTU");
            b.putInt(24, 4);
            check(err, UdpCalls.getsockopt(err, fd, IPPROTO_IP, IP_MTU, a + 16, a + 24), "getsockopt IP_MTU");
            return b.getInt(16);
        } finally {
            UdpCalls.close(err, fd);
        }
    }

    /** Makes a blocked (or the next) receive return 0. Any thread; never blocks. */
    public void wakeup() {
        handle.wakeup();
    }

    /** Closes the socket (idempotent, any thread); a blocked receive returns -1. */
    @Override
    public void close() {
        handle.close();
    }

    @Override
    public String toString() {
        return "udp port " + port;
    }
}
