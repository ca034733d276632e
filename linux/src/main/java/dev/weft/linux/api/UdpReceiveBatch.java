package dev.weft.linux.api;

import dev.weft.linux.internal.ffi.Native;
import dev.weft.linux.internal.ffm.UdpCalls;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Buffers for one {@code recvmmsg(2)}: up to {@code messages} receives of up to {@code
 * bufferBytes} each. With UDP_GRO one receive may hold several datagrams of one sender back to
 * back, each {@link #segmentSize} bytes except a shorter last one.
 *
 * <p>Not thread-safe: the receiving thread owns it. Allocates nothing after construction.
 */
public final class UdpReceiveBatch {
    private static final int MMSG = 64;
    private static final int IOV = 16;
    private static final int SOCKADDR = 16;
    private static final int CMSG_SPACE = 64;
    private static final int SOL_UDP = 17;
    private static final int MSG_TRUNC = 0x20;
    private static final int MSG_CTRUNC = 0x08;

    private final int capacity;
    private final int bufferBytes;
    private final ByteBuffer mem;
    private final long base;
    private final int iovAt;
    private final int addrAt;
    private final int cmsgAt;
    private final ByteBuffer[] buffers;
    private final UdpCalls.Errno errno = new UdpCalls.Errno();
    private final int[] lengths;
    private final int[] segments;
    private final long[] sources;
    private final boolean[] truncated;
    private int count;

    /**
     * @param messages receives per call
     * @param bufferBytes bytes per receive; 65,535 or more when receive coalescing is on (a smaller
     *     buffer truncates coalesced datagrams)
     * @param headroom bytes left free before each buffer's data (see {@link #offset()})
     */
    public UdpReceiveBatch(int messages, int bufferBytes, int headroom) {
        this.capacity = messages;
        this.bufferBytes = bufferBytes;
        this.headroom = headroom;
        iovAt = messages * MMSG;
        addrAt = iovAt + messages * IOV;
        cmsgAt = addrAt + messages * SOCKADDR;
        mem = Native.allocate(cmsgAt + messages * CMSG_SPACE);
        base = Native.address(mem);
        buffers = new ByteBuffer[messages];
        lengths = new int[messages];
        segments = new int[messages];
        sources = new long[messages];
        truncated = new boolean[messages];
        for (int i = 0; i < messages; i++) {
            buffers[i] = ByteBuffer.allocateDirect(headroom + bufferBytes).order(ByteOrder.BIG_ENDIAN);
            int h = i * MMSG;
            int iov = iovAt + i * IOV;
            mem.putLong(iov, Native.address(buffers[i]) + headroom).putLong(iov + 8, bufferBytes);
            mem.putLong(h, base + addrAt + (long) i * SOCKADDR);
            mem.putLong(h + 16, base + iov);
            mem.putLong(h + 24, 1);
            mem.putLong(h + 32, base + cmsgAt + (long) i * CMSG_SPACE);
        }
    }

    private final int headroom;

    /** Receives held after the last call. */
    public int count() {
        return count;
    }

    /** The buffer of receive {@code i} (big-endian; data at {@link #offset()}, {@link #length} bytes). */
    public ByteBuffer buffer(int i) {
        return buffers[i];
    }

    /** Where data starts in every buffer: the headroom. */
    public int offset() {
        return headroom;
    }

    public int length(int i) {
        return lengths[i];
    }

    /** The size of each coalesced datagram of receive {@code i}; 0 if it holds a single datagram. */
    public int segmentSize(int i) {
        return segments[i];
    }

    /** The sender of receive {@code i}, as {@code ipv4 << 16 | port}. */
    public long source(int i) {
        return sources[i];
    }

    /** True if receive {@code i} did not fit its buffer (its data is incomplete: drop it). */
    public boolean truncated(int i) {
        return truncated[i];
    }

    public int capacity() {
        return capacity;
    }

    public int bufferBytes() {
        return bufferBytes;
    }

    int receiveOn(int fd) {
        for (int i = 0; i < capacity; i++) {
            int h = i * MMSG;
            mem.putInt(h + 8, SOCKADDR);
            mem.putLong(h + 40, CMSG_SPACE);
            mem.putInt(h + 48, 0);
        }
        int n;
        do {
            n = UdpCalls.recvmmsg(errno, fd, base, capacity, 0x40 /* MSG_DONTWAIT */, 0);
        } while (n < 0 && errno.get() == Errno.EINTR);
        if (n < 0) {
            int e = errno.get();
            if (e == Errno.EAGAIN) {
                count = 0;
                return 0;
            }
            throw new KernelException("recvmmsg", e);
        }
        for (int i = 0; i < n; i++) {
            int h = i * MMSG;
            lengths[i] = mem.getInt(h + 56);
            int flags = mem.getInt(h + 48);
            truncated[i] = (flags & (MSG_TRUNC | MSG_CTRUNC)) != 0;
            int a = addrAt + i * SOCKADDR;
            int port = Short.toUnsignedInt(Short.reverseBytes(mem.getShort(a + 2)));
            int ip = Integer.reverseBytes(mem.getInt(a + 4));
            sources[i] = ((ip & 0xffffffffL) << 16) | port;
            segments[i] = groSize(h);
        }
        count = n;
        return n;
    }

    private int groSize(int h) {
        long control = mem.getLong(h + 40);
        int c = (int) (mem.getLong(h + 32) - base);
        int end = c + (int) control;
        while (c + 16 <= end) {
            long len = mem.getLong(c);
            if (len < 16) {
                break;
            }
            if (mem.getInt(c + 8) == SOL_UDP && mem.getInt(c + 12) == UdpSocket.UDP_GRO) {
                return mem.getInt(c + 16);
            }
            c += (int) ((len + 7) & ~7L);
        }
        return 0;
    }
}
