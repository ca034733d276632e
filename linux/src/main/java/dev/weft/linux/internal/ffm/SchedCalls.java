package dev.weft.linux.internal.ffm;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** {@code setpriority(2)} and {@code getpriority(2)} for the calling thread, bound with the JDK's FFM API. */
public final class SchedCalls {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle SETPRIORITY =
            bind("setpriority", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle GETPRIORITY =
            bind("getpriority", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final int PRIO_PROCESS = 0;

    private SchedCalls() {}

    private static MethodHandle bind(String name, FunctionDescriptor d) {
        MemorySegment symbol =
                LINKER.defaultLookup().find(name).orElseThrow(() -> new IllegalStateException("libc has no " + name));
        return LINKER.downcallHandle(symbol, d);
    }

    /** Sets the calling thread's nice value (Linux keeps it per thread). Returns 0 or -1. */
    public static int setNice(int nice) {
        try {
            return (int) SETPRIORITY.invokeExact(PRIO_PROCESS, 0, nice);
        } catch (Throwable t) {
            throw new IllegalStateException("setpriority failed", t);
        }
    }

    /** The calling thread's nice value. */
    public static int nice() {
        try {
            return (int) GETPRIORITY.invokeExact(PRIO_PROCESS, 0);
        } catch (Throwable t) {
            throw new IllegalStateException("getpriority failed", t);
        }
    }
}
