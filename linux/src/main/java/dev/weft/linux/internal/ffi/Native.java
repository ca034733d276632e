package dev.weft.linux.internal.ffi;

import dev.weft.linux.api.KernelException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;

/** The loaded libc binding, errno access and raw addresses of direct buffers. */
public final class Native {
    public static final LibC C =
            LibraryLoader.create(LibC.class).option(LibraryOption.LoadNow, true).load("c");
    private static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(C);

    private Native() {}

    /** errno of the last call made by this thread through {@link #C}. */
    public static int errno() {
        return RUNTIME.getLastError();
    }

    /** A {@link KernelException} for the failed call {@code operation}, with the current errno. */
    public static KernelException fail(String operation) {
        return new KernelException(operation, errno());
    }

    /** Throws unless {@code result >= 0}; returns it. */
    public static int check(int result, String operation) {
        if (result < 0) {
            throw fail(operation);
        }
        return result;
    }

    /**
     * The address of element 0 of a direct buffer (not of its position). Throws for heap buffers:
     * the kernel needs memory that does not move.
     */
    public static long address(ByteBuffer buffer) {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("a direct ByteBuffer is needed, got a heap buffer");
        }
        return MemorySegment.ofBuffer(buffer).address() - buffer.position();
    }

    /** A zeroed direct buffer in the machine's byte order, as the kernel's structures use. */
    public static ByteBuffer allocate(int bytes) {
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }
}
