package dev.weft.linux.internal.ffm;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The socket calls of {@code UdpSocket}, bound with the JDK's foreign function API rather than
 * jnr-ffi: {@code recvmmsg(2)} takes five arguments, and jnr-ffi 2.3.4's generated x86_64 stubs
 * mis-pass arguments beyond the fourth on this machine (see the module's LibC). Pointers are
 * passed as raw addresses ({@code long}) of memory the caller owns; errno is captured into a
 * per-thread {@link Errno} segment, so a call allocates nothing.
 */
public final class UdpCalls {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle SOCKET =
            bind("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND =
            bind("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle CONNECT =
            bind("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle GETSOCKNAME =
            bind("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle SETSOCKOPT =
            bind("setsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle GETSOCKOPT =
            bind("getsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle SENDMMSG =
            bind("sendmmsg", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT));
    private static final MethodHandle RECVMMSG =
            bind("recvmmsg", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private UdpCalls() {}

    private static MethodHandle bind(String name, FunctionDescriptor d) {
        MemorySegment symbol =
                LINKER.defaultLookup().find(name).orElseThrow(() -> new IllegalStateException("libc has no " + name));
        return LINKER.downcallHandle(symbol, d, Linker.Option.captureCallState("errno"));
    }

    /** Where one thread's calls leave errno. Not thread-safe: one per thread (or per batch). */
    public static final class Errno {
        private final MemorySegment state;

        public Errno() {
            this.state = Arena.ofAuto().allocate(CAPTURE);
        }

        /** errno of the last failed call made with this segment. */
        public int get() {
            return (int) ERRNO.get(state, 0L);
        }
    }

    public static int socket(Errno e, int domain, int type, int protocol) {
        try {
            return (int) SOCKET.invokeExact(e.state, domain, type, protocol);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int bind(Errno e, int fd, long addr, int len) {
        try {
            return (int) BIND.invokeExact(e.state, fd, addr, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int connect(Errno e, int fd, long addr, int len) {
        try {
            return (int) CONNECT.invokeExact(e.state, fd, addr, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int getsockname(Errno e, int fd, long addr, long lenPtr) {
        try {
            return (int) GETSOCKNAME.invokeExact(e.state, fd, addr, lenPtr);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int setsockopt(Errno e, int fd, int level, int option, long value, int len) {
        try {
            return (int) SETSOCKOPT.invokeExact(e.state, fd, level, option, value, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int getsockopt(Errno e, int fd, int level, int option, long value, long lenPtr) {
        try {
            return (int) GETSOCKOPT.invokeExact(e.state, fd, level, option, value, lenPtr);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int sendmmsg(Errno e, int fd, long msgvec, int vlen, int flags) {
        try {
            return (int) SENDMMSG.invokeExact(e.state, fd, msgvec, vlen, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int recvmmsg(Errno e, int fd, long msgvec, int vlen, int flags, long timeout) {
        try {
            return (int) RECVMMSG.invokeExact(e.state, fd, msgvec, vlen, flags, timeout);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int close(Errno e, int fd) {
        try {
            return (int) CLOSE.invokeExact(e.state, fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error err) {
            throw err;
        }
        return new IllegalStateException("native call failed", t);
    }
}
