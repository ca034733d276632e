package dev.weft.bench.linux;

import dev.weft.linux.internal.ffi.Native;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the foreign-function layer costs per system call: read(2) on an empty non-blocking
 * eventfd (returns EAGAIN at once) through the module's jnr-ffi binding, and through the JDK's
 * FFM linker (with errno capture, as a binding needs), to decide whether the TAP hot path should
 * move. Measured here (2 cores, heavily shared): all four within noise of each other at 0.7-1.1
 * us, i.e. the system call dominates and jnr-ffi stays. Run: {@code bench/linux FfiOverheadBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FfiOverheadBench {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle READ = LINKER.downcallHandle(
            LINKER.defaultLookup().find("read").orElseThrow(),
            FunctionDescriptor.of(
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle READ_CRITICAL = LINKER.downcallHandle(
            LINKER.defaultLookup().find("read").orElseThrow(),
            FunctionDescriptor.of(
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
            Linker.Option.captureCallState("errno"),
            Linker.Option.critical(false));

    /** The same read(2) without errno saving, to see what that costs. */
    public interface NoErrno {
        @jnr.ffi.annotations.IgnoreError
        long read(int fd, long buf, long count);
    }

    private static final NoErrno NO_ERRNO =
            jnr.ffi.LibraryLoader.create(NoErrno.class).load("c");

    private int fd;
    private ByteBuffer buf;
    private long address;
    private Arena arena;
    private MemorySegment segment;
    private MemorySegment state;

    @Setup(Level.Trial)
    public void setUp() {
        fd = Native.C.eventfd(0, 0x800 | 0x80000); // EFD_NONBLOCK | EFD_CLOEXEC
        buf = Native.allocate(8);
        address = Native.address(buf);
        arena = Arena.ofConfined();
        segment = arena.allocate(8);
        state = arena.allocate(STATE);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Native.C.close(fd);
        arena.close();
    }

    @Benchmark
    public int jnr() {
        long n = Native.C.read(fd, address, 8);
        return n < 0 ? Native.errno() : 0;
    }

    @Benchmark
    public long jnrIgnoreErrno() {
        return NO_ERRNO.read(fd, address, 8);
    }

    @Benchmark
    public int ffm() throws Throwable {
        long n = (long) READ.invokeExact(state, fd, segment, 8L);
        return n < 0 ? (int) ERRNO.get(state, 0L) : 0;
    }

    @Benchmark
    public int ffmCritical() throws Throwable {
        long n = (long) READ_CRITICAL.invokeExact(state, fd, segment, 8L);
        return n < 0 ? (int) ERRNO.get(state, 0L) : 0;
    }
}
