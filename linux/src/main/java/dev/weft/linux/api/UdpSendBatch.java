package dev.weft.linux.api;

import dev.weft.linux.internal.ffi.Native;
import dev.weft.linux.internal.ffm.UdpCalls;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Datagrams queued for one {@code sendmmsg(2)}, each made of a header (copied into the batch's
 * own memory) and a payload (referenced where it lies: a caller-owned direct buffer that must not
 * change until the send). Consecutive datagrams to the same destination are packed into one
 * message with UDP segmentation offload ({@code UDP_SEGMENT}) when their sizes allow it: all of a
 * message's datagrams have the same size except a shorter last one, at most {@link #MAX_SEGMENTS}
 * of them, at most {@link #MAX_GSO_BYTES} in all. The kernel then cuts them apart after the
 * expensive part of the stack ran once.
 *
 * <p>Not thread-safe: one per sending thread. Allocates nothing after construction.
 */
public final class UdpSendBatch {
    /** Datagrams per segmented send; Linux's UDP_MAX_SEGMENTS is 64 on older kernels. */
    public static final int MAX_SEGMENTS = 64;
    /** The largest UDP payload one send may carry: 65,535 minus IPv4 and UDP headers. */
    public static final int MAX_GSO_BYTES = 65_507;

    private static final int MMSG = 64;
    private static final int IOV = 16;
    private static final int SOCKADDR = 16;
    private static final int CMSG = 24;
    private static final int SOL_UDP = 17;

    private final int maxMessages;
    private final int maxDatagrams;
    private final ByteBuffer mem;
    private final long base;
    private final int msgAt;
    private final int addrAt;
    private final int cmsgAt;
    private final int iovAt;
    private final ByteBuffer headers;
    private final long headersAddress;
    private final int headerSlot;
    private final UdpCalls.Errno errno = new UdpCalls.Errno();
    private boolean segmentation;

    private int messages;
    private int datagrams;
    // The open message: destination, first datagram index, segment size, bytes, whether it is closed to more.
    private int curIp;
    private int curPort;
    private int curFirst;
    private int curSegment;
    private int curBytes;
    private boolean curSealed;

    private final long[] failedRemote;
    private final int[] failedErrno;
    private int failures;
    private final int[] msgFirst;
    private final int[] msgCount;

    /**
     * @param maxDatagrams datagrams the batch holds
     * @param headerSlot bytes reserved per datagram header (the largest header that will be added)
     * @param segmentation use UDP segmentation offload (turn off where the kernel lacks it)
     */
    public UdpSendBatch(int maxDatagrams, int headerSlot, boolean segmentation) {
        if (maxDatagrams < 1 || headerSlot < 0) {
            throw new IllegalArgumentException("bad batch size");
        }
        this.maxDatagrams = maxDatagrams;
        this.maxMessages = maxDatagrams + 1; // one spare for splitting a refused segmented send
        this.headerSlot = headerSlot;
        this.segmentation = segmentation;
        msgAt = 0;
        addrAt = msgAt + maxMessages * MMSG;
        cmsgAt = addrAt + maxMessages * SOCKADDR;
        iovAt = cmsgAt + maxMessages * CMSG;
        int size = iovAt + maxDatagrams * 2 * IOV;
        mem = Native.allocate(size);
        base = Native.address(mem);
        headers = ByteBuffer.allocateDirect(Math.max(1, maxDatagrams * headerSlot))
                .order(ByteOrder.BIG_ENDIAN);
        headersAddress = Native.address(headers);
        failedRemote = new long[maxDatagrams];
        failedErrno = new int[maxDatagrams];
        msgFirst = new int[maxMessages];
        msgCount = new int[maxMessages];
    }

    /** Datagrams that fit before the batch must be sent. */
    public int room() {
        return maxDatagrams - datagrams;
    }

    public int datagrams() {
        return datagrams;
    }

    public boolean isEmpty() {
        return datagrams == 0;
    }

    /** Whether segmentation offload is used (it switches itself off if the kernel refuses it). */
    public boolean segmentation() {
        return segmentation;
    }

    /**
     * Where the next datagram's header goes: write it into {@link #headers()} at this index
     * (big-endian) before calling {@link #add}.
     */
    public int nextHeaderIndex() {
        return datagrams * headerSlot;
    }

    /** The batch's header memory (big-endian, direct). */
    public ByteBuffer headers() {
        return headers;
    }

    /**
     * Adds one datagram to {@code ipv4:port}: {@code headerLength} bytes written at {@link
     * #nextHeaderIndex()}, then {@code payload[offset, offset + length)} (direct).
     *
     * @throws IllegalStateException if the batch is full (check {@link #room()})
     */
    public void add(int ipv4, int port, int headerLength, ByteBuffer payload, int offset, int length) {
        if (datagrams == maxDatagrams) {
            throw new IllegalStateException("send batch full");
        }
        if (headerLength > headerSlot) {
            throw new IllegalArgumentException("header longer than its slot");
        }
        int size = headerLength + length;
        boolean joins = messages > 0
                && segmentation
                && !curSealed
                && curIp == ipv4
                && curPort == port
                && size <= curSegment
                && datagrams - curFirst < MAX_SEGMENTS
                && curBytes + size <= MAX_GSO_BYTES;
        if (!joins) {
            closeMessage();
            openMessage(ipv4, port, size);
        }
        int iov = iovAt + datagrams * 2 * IOV;
        mem.putLong(iov, headersAddress + (long) datagrams * headerSlot).putLong(iov + 8, headerLength);
        mem.putLong(iov + IOV, Native.address(payload) + offset).putLong(iov + IOV + 8, length);
        datagrams++;
        curBytes += size;
        if (size < curSegment) {
            curSealed = true; // a short datagram must be the last of its segmented send
        }
    }

    private void openMessage(int ipv4, int port, int size) {
        curIp = ipv4;
        curPort = port;
        curFirst = datagrams;
        curSegment = size;
        curBytes = 0;
        curSealed = false;
        messages++;
    }

    /** Writes the open message's msghdr (called before a new one starts and before sending). */
    private void closeMessage() {
        if (messages == 0) {
            return;
        }
        int m = messages - 1;
        int count = datagrams - curFirst;
        msgFirst[m] = curFirst;
        msgCount[m] = count;
        UdpSocket.writeSockaddr(mem, addrAt + m * SOCKADDR, curIp, curPort);
        writeMsghdr(m, curFirst, count, count > 1 ? curSegment : 0);
    }

    private void writeMsghdr(int m, int first, int count, int segment) {
        int h = msgAt + m * MMSG;
        mem.putLong(h, base + addrAt + (long) m * SOCKADDR);
        mem.putInt(h + 8, SOCKADDR);
        mem.putLong(h + 16, base + iovAt + (long) first * 2 * IOV);
        mem.putLong(h + 24, 2L * count);
        if (segment > 0) {
            int c = cmsgAt + m * CMSG;
            mem.putLong(c, 18); // CMSG_LEN(sizeof(uint16_t))
            mem.putInt(c + 8, SOL_UDP);
            mem.putInt(c + 12, UdpSocket.UDP_SEGMENT);
            mem.putShort(c + 16, (short) segment);
            mem.putLong(h + 32, base + c);
            mem.putLong(h + 40, CMSG);
        } else {
            mem.putLong(h + 32, 0);
            mem.putLong(h + 40, 0);
        }
        mem.putInt(h + 48, 0);
        mem.putInt(h + 56, 0);
    }

    /** Datagram failures of the last send: how many. */
    public int failures() {
        return failures;
    }

    /** The destination of failure {@code i}, as {@code ipv4 << 16 | port}. */
    public long failedRemote(int i) {
        return failedRemote[i];
    }

    /** The errno of failure {@code i} (EMSGSIZE: bigger than the path MTU). */
    public int failedErrno(int i) {
        return failedErrno[i];
    }

    /** Forgets everything queued (without sending). */
    public void clear() {
        messages = 0;
        datagrams = 0;
    }

    int sendOn(int fd) {
        closeMessage();
        failures = 0;
        int sent = 0;
        int i = 0;
        while (i < messages) {
            int r = UdpCalls.sendmmsg(errno, fd, base + msgAt + (long) i * MMSG, messages - i, 0);
            if (r > 0) {
                for (int k = i; k < i + r; k++) {
                    sent += msgCount[k];
                }
                i += r;
                continue;
            }
            int e = errno.get();
            if (r < 0 && e == Errno.EINTR) {
                continue;
            }
            if (msgCount[i] > 1 && (e == Errno.EINVAL || e == Errno.EIO)) {
                // The kernel cannot segment this send (an old kernel, or a device without checksum
                // offload): send its datagrams one by one from now on.
                segmentation = false;
                sent += sendSplit(fd, i);
            } else {
                fail(i, e);
            }
            i++;
        }
        clear();
        return sent;
    }

    private int sendSplit(int fd, int m) {
        int spare = maxMessages - 1;
        int h = msgAt + m * MMSG;
        long addr = mem.getLong(h);
        int sent = 0;
        for (int d = msgFirst[m]; d < msgFirst[m] + msgCount[m]; d++) {
            int s = msgAt + spare * MMSG;
            writeMsghdr(spare, d, 1, 0);
            mem.putLong(s, addr);
            int r;
            do {
                r = UdpCalls.sendmmsg(errno, fd, base + s, 1, 0);
            } while (r < 0 && errno.get() == Errno.EINTR);
            if (r == 1) {
                sent++;
            } else {
                recordFailure(m, errno.get());
            }
        }
        return sent;
    }

    private void fail(int m, int e) {
        recordFailure(m, e);
    }

    private void recordFailure(int m, int e) {
        if (failures < failedRemote.length) {
            int a = addrAt + m * SOCKADDR;
            int port = Short.toUnsignedInt(Short.reverseBytes(mem.getShort(a + 2)));
            int ip = Integer.reverseBytes(mem.getInt(a + 4));
            failedRemote[failures] = ((ip & 0xffffffffL) << 16) | port;
            failedErrno[failures] = e;
            failures++;
        }
    }
}
