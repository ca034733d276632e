package dev.weft.linux.internal;

import dev.weft.linux.api.Errno;
import dev.weft.linux.api.KernelException;
import dev.weft.linux.internal.ffi.Native;
import dev.weft.linux.internal.uapi.Sys;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A file descriptor shared between a reader that may block and other threads that may wake or
 * close it. Closing from another thread cannot wake a thread blocked in read(2), and closing an
 * fd another thread still uses lets a new open reuse the number; so blocking waits go through
 * {@code poll(fd, eventfd)} and the fd is closed by whichever of {@link #close()} or the last
 * {@link #release()} comes last.
 *
 * <p>{@link #acquire()}/{@link #release()} bracket every use (two atomic operations); {@link
 * #awaitReadable} must be called by one thread at a time (it uses a preallocated pollfd array).
 */
public final class FdHandle {
    private static final int CLOSED = 1;
    private static final int USER = 2;

    private final int fd;
    private final int wakeFd;
    private final String what;
    /** bit 0: closed; the rest: users times 2. */
    private final AtomicInteger state = new AtomicInteger();

    private final ByteBuffer pollFds = Native.allocate(16);
    private final long pollFdsAddress = Native.address(pollFds);
    private final ByteBuffer counter = Native.allocate(8);
    private final long counterAddress = Native.address(counter);
    private final ByteBuffer wakeValue = Native.allocate(8).putLong(0, 1);
    private final long wakeValueAddress = Native.address(wakeValue);

    /** Takes ownership of {@code fd}; {@code what} names it in errors (e.g. "tap weft0"). */
    public FdHandle(int fd, String what) {
        this.fd = fd;
        this.what = what;
        int w = Native.C.eventfd(0, Sys.EFD_CLOEXEC | Sys.EFD_NONBLOCK);
        if (w < 0) {
            int e = Native.errno();
            Native.C.close(fd);
            throw new KernelException("eventfd for " + what, e);
        }
        this.wakeFd = w;
        pollFds.putInt(0, fd).putShort(4, Sys.POLLIN).putInt(8, wakeFd).putShort(12, Sys.POLLIN);
    }

    public int fd() {
        return fd;
    }

    public String what() {
        return what;
    }

    /** Registers a use; false once closed (then do not touch the fd). */
    public boolean acquire() {
        for (; ; ) {
            int s = state.get();
            if ((s & CLOSED) != 0) {
                return false;
            }
            if (state.compareAndSet(s, s + USER)) {
                return true;
            }
        }
    }

    /** Ends a use begun by a successful {@link #acquire()}. */
    public void release() {
        if (state.addAndGet(-USER) == CLOSED) {
            closeNow();
        }
    }

    public boolean isClosed() {
        return (state.get() & CLOSED) != 0;
    }

    /** Makes one pending or future {@link #awaitReadable} return false. Any thread; never blocks. */
    public void wakeup() {
        if (acquire()) {
            try {
                signal();
            } finally {
                release();
            }
        }
    }

    private void signal() {
        // An eventfd write of 1 only fails if the counter would overflow: then it is already set.
        Native.C.write(wakeFd, wakeValueAddress, 8);
    }

    /** Marks closed, wakes a blocked waiter, and closes the fd now or when the last user leaves. */
    public void close() {
        if (!acquire()) {
            return;
        }
        try {
            for (; ; ) {
                int s = state.get();
                if ((s & CLOSED) != 0) {
                    return;
                }
                if (state.compareAndSet(s, s | CLOSED)) {
                    signal();
                    return;
                }
            }
        } finally {
            release(); // the last user out closes the fds
        }
    }

    /**
     * Waits until the fd is readable. Returns true when readable, false when woken, closed or
     * the timeout passed. Call with the handle acquired.
     *
     * @param timeoutMillis -1 to wait indefinitely
     */
    public boolean awaitReadable(int timeoutMillis) {
        for (; ; ) {
            pollFds.putShort(6, (short) 0).putShort(14, (short) 0);
            int n = Native.C.poll(pollFdsAddress, 2, timeoutMillis);
            if (n < 0) {
                int e = Native.errno();
                if (e == Errno.EINTR) {
                    continue;
                }
                throw new KernelException("poll " + what, e);
            }
            if (n == 0) {
                return false;
            }
            if (pollFds.getShort(14) != 0) {
                Native.C.read(wakeFd, counterAddress, 8); // drain; EAGAIN if raced: harmless
                return false;
            }
            return !isClosed();
        }
    }

    private void closeNow() {
        Native.C.close(fd);
        Native.C.close(wakeFd);
    }
}
