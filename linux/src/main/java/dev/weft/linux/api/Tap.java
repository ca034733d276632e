package dev.weft.linux.api;

import dev.weft.linux.internal.FdHandle;
import dev.weft.linux.internal.ffi.Native;
import dev.weft.linux.internal.uapi.Sys;
import dev.weft.linux.internal.uapi.Tun;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A TAP device (one queue of it): Ethernet frames in and out of the kernel through {@code
 * /dev/net/tun} with {@code IFF_TAP|IFF_NO_PI}. The device is created in the network namespace of
 * the thread that opens it (use {@link NetNs#call}), is down until brought up ({@link
 * Links#setUp}), and disappears when its last queue is closed unless made persistent.
 *
 * <p><b>Hot path.</b> {@code read}/{@code write} move one frame between the kernel and a
 * caller-owned <em>direct</em> ByteBuffer: one system call, no allocation, no copy in Java.
 * Reads start at the buffer's position and advance it by the frame length; writes send the bytes
 * between position and limit as one frame and advance the position to the limit. The buffer must
 * hold the largest frame (MTU + 14, plus 4 for a VLAN tag, plus the vnet header; 64 KiB + header
 * with TSO offloads): the kernel drops a frame that does not fit and the read fails with EFAULT.
 *
 * <p><b>Threads.</b> One reader thread and one writer thread may use a Tap at the same time
 * (each direction has its own scratch memory); not two readers or two writers. {@link #wakeup()}
 * and {@link #close()} may be called from any thread and make a blocked read return.
 */
public final class Tap implements AutoCloseable {
    private final FdHandle handle;
    private final String name;
    private final TapConfig config;
    /** Two iovecs for readv at 0, two for writev at 32. */
    private final ByteBuffer iov = Native.allocate(64);

    private final long iovAddress = Native.address(iov);

    private Tap(int fd, String name, TapConfig config) {
        this.handle = new FdHandle(fd, "tap " + name);
        this.name = name;
        this.config = config;
    }

    /**
     * Creates (or attaches a queue to) the TAP device {@code config.name()} in the calling
     * thread's namespace. Blocks for a few system calls.
     *
     * @throws KernelException e.g. EBUSY if a single-queue device of that name is already open,
     *     EINVAL if a device of that name exists with other flags, EPERM without CAP_NET_ADMIN
     */
    public static Tap open(TapConfig config) {
        int fd = Native.C.open("/dev/net/tun", Sys.O_RDWR | Sys.O_CLOEXEC | Sys.O_NONBLOCK, 0);
        if (fd < 0) {
            throw new KernelException("open /dev/net/tun for tap " + config.name(), Native.errno());
        }
        ByteBuffer ifr = Native.allocate(Tun.SIZEOF_IFREQ);
        long ifrAddress = Native.address(ifr);
        byte[] n = config.name().getBytes(StandardCharsets.US_ASCII);
        ifr.put(0, n);
        int flags = Tun.IFF_TAP | Tun.IFF_NO_PI;
        if (config.vnetHeader()) {
            flags |= Tun.IFF_VNET_HDR;
        }
        if (config.multiQueue()) {
            flags |= Tun.IFF_MULTI_QUEUE;
        }
        ifr.putShort(Tun.IFNAMSIZ, (short) flags);
        try {
            ioctl(fd, Tun.TUNSETIFF, ifrAddress, "create tap " + config.name());
            byte[] actual = new byte[Tun.IFNAMSIZ];
            ifr.get(0, actual);
            int len = 0;
            while (len < actual.length && actual[len] != 0) {
                len++;
            }
            String name = new String(actual, 0, len, StandardCharsets.US_ASCII);
            if (config.vnetHeader()) {
                ifr.putInt(20, config.vnetHeaderSize());
                ioctl(fd, Tun.TUNSETVNETHDRSZ, ifrAddress + 20, "set vnet header size of tap " + name);
                // TUNSETOFFLOAD takes the flags by value, not by pointer.
                ioctl(fd, Tun.TUNSETOFFLOAD, config.offloads(), "set offloads of tap " + name);
            }
            return new Tap(fd, name, config);
        } catch (RuntimeException e) {
            Native.C.close(fd);
            throw e;
        }
    }

    /** The interface name (the kernel's completion of a {@code %d} template). */
    public String name() {
        return name;
    }

    public TapConfig config() {
        return config;
    }

    /** The file descriptor (non-blocking), for poll/epoll integration; owned by this Tap. */
    public int fd() {
        return handle.fd();
    }

    /**
     * Reads one frame into {@code dst} (direct) at its position, blocking until one arrives.
     * With a vnet header the frame starts with it.
     *
     * @return the frame length; 0 if woken by {@link #wakeup()}; -1 once closed
     */
    public int read(ByteBuffer dst) {
        return read(dst, true);
    }

    /** Like {@link #read(ByteBuffer)} but returns 0 at once when no frame is queued. */
    public int tryRead(ByteBuffer dst) {
        return read(dst, false);
    }

    /**
     * Reads up to {@code count} frames into {@code dsts[offset..offset+count)}, one per buffer:
     * blocks for the first, then takes only what is already queued. Each buffer's position
     * advances by its frame length.
     *
     * @return frames read; 0 if woken; -1 once closed
     */
    public int readBatch(ByteBuffer[] dsts, int offset, int count) {
        int first = read(dsts[offset], true);
        if (first <= 0) {
            return first;
        }
        int frames = 1;
        while (frames < count && read(dsts[offset + frames], false) > 0) {
            frames++;
        }
        return frames;
    }

    /**
     * Reads one frame with its vnet header into {@code header} (exactly the header size) and
     * the Ethernet frame into {@code frame}, in one {@code readv}. Blocks like {@link #read}.
     *
     * @return the frame length without the header; 0 if woken; -1 once closed
     */
    public int read(ByteBuffer header, ByteBuffer frame) {
        if (!handle.acquire()) {
            return -1;
        }
        try {
            int hdr = header.remaining();
            iov.putLong(0, Native.address(header) + header.position()).putLong(8, hdr);
            iov.putLong(16, Native.address(frame) + frame.position()).putLong(24, frame.remaining());
            for (; ; ) {
                long n = Native.C.readv(handle.fd(), iovAddress, 2);
                if (n >= 0) {
                    int body = (int) Math.max(0, n - hdr);
                    header.position(header.position() + (int) Math.min(n, hdr));
                    frame.position(frame.position() + body);
                    return body;
                }
                int e = Native.errno();
                if (e == Errno.EAGAIN) {
                    if (!handle.awaitReadable(-1)) {
                        return handle.isClosed() ? -1 : 0;
                    }
                } else if (e != Errno.EINTR) {
                    throw new KernelException("read tap " + name, e);
                }
            }
        } finally {
            handle.release();
        }
    }

    /**
     * Writes the bytes between {@code src}'s position and limit (direct) as one frame (starting
     * with the vnet header if configured) and moves the position to the limit. Does not block.
     *
     * @return bytes written; 0 if the kernel could not take the frame now (it is dropped)
     * @throws KernelException e.g. EIO while the device is down, EINVAL for a malformed frame
     */
    public int write(ByteBuffer src) {
        if (!handle.acquire()) {
            throw new IllegalStateException("tap " + name + " is closed");
        }
        try {
            for (; ; ) {
                long n = Native.C.write(handle.fd(), Native.address(src) + src.position(), src.remaining());
                if (n >= 0) {
                    src.position(src.limit());
                    return (int) n;
                }
                int e = Native.errno();
                if (e == Errno.EAGAIN) {
                    return 0;
                }
                if (e != Errno.EINTR) {
                    throw new KernelException("write tap " + name, e);
                }
            }
        } finally {
            handle.release();
        }
    }

    /**
     * Writes {@code header} (the vnet header) and {@code frame} as one frame with one {@code
     * writev}; both positions move to their limits.
     *
     * @return bytes written including the header; 0 if the kernel could not take it now
     */
    public int write(ByteBuffer header, ByteBuffer frame) {
        if (!handle.acquire()) {
            throw new IllegalStateException("tap " + name + " is closed");
        }
        try {
            iov.putLong(32, Native.address(header) + header.position()).putLong(40, header.remaining());
            iov.putLong(48, Native.address(frame) + frame.position()).putLong(56, frame.remaining());
            for (; ; ) {
                long n = Native.C.writev(handle.fd(), iovAddress + 32, 2);
                if (n >= 0) {
                    header.position(header.limit());
                    frame.position(frame.limit());
                    return (int) n;
                }
                int e = Native.errno();
                if (e == Errno.EAGAIN) {
                    return 0;
                }
                if (e != Errno.EINTR) {
                    throw new KernelException("write tap " + name, e);
                }
            }
        } finally {
            handle.release();
        }
    }

    /**
     * Waits until a frame can be read, the timeout passes, or {@link #wakeup()}/{@link #close()}.
     *
     * @return true if a frame is queued
     */
    public boolean awaitReadable(Duration timeout) {
        if (!handle.acquire()) {
            return false;
        }
        try {
            return handle.awaitReadable((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        } finally {
            handle.release();
        }
    }

    /** Keeps the device after the last queue closes (or not). */
    public void setPersistent(boolean persistent) {
        if (!handle.acquire()) {
            throw new IllegalStateException("tap " + name + " is closed");
        }
        try {
            ioctl(handle.fd(), Tun.TUNSETPERSIST, persistent ? 1 : 0, "set persistence of tap " + name);
        } finally {
            handle.release();
        }
    }

    /** Makes a blocked (or the next) read return 0. Any thread, never blocks. */
    public void wakeup() {
        handle.wakeup();
    }

    /**
     * Closes this queue (idempotent, any thread): a blocked read returns -1, and the fd is closed
     * once no call is using it. A non-persistent device disappears with its last queue.
     */
    @Override
    public void close() {
        handle.close();
    }

    @Override
    public String toString() {
        return "tap " + name;
    }

    private int read(ByteBuffer dst, boolean block) {
        if (!handle.acquire()) {
            return -1;
        }
        try {
            long address = Native.address(dst) + dst.position();
            int room = dst.remaining();
            for (; ; ) {
                long n = Native.C.read(handle.fd(), address, room);
                if (n >= 0) {
                    dst.position(dst.position() + (int) n);
                    return (int) n;
                }
                int e = Native.errno();
                if (e == Errno.EAGAIN) {
                    if (!block) {
                        return 0;
                    }
                    if (!handle.awaitReadable(-1)) {
                        return handle.isClosed() ? -1 : 0;
                    }
                } else if (e != Errno.EINTR) {
                    throw new KernelException("read tap " + name, e);
                }
            }
        } finally {
            handle.release();
        }
    }

    private static void ioctl(int fd, long request, long arg, String what) {
        if (Native.C.ioctl(fd, request, arg) < 0) {
            throw new KernelException(what, Native.errno());
        }
    }
}
