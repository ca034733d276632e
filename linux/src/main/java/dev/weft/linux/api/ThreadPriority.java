package dev.weft.linux.api;

import dev.weft.linux.internal.ffm.SchedCalls;

/**
 * The calling thread's scheduling priority (its nice value: -20 highest .. 19 lowest). Linux keeps
 * it per thread, so a data-plane thread can be favoured without changing the rest of the process.
 * Raising priority (a negative value) needs CAP_SYS_NICE.
 */
public final class ThreadPriority {
    private ThreadPriority() {}

    /**
     * Sets the calling thread's nice value.
     *
     * @return true if the kernel accepted it
     */
    public static boolean setNice(int nice) {
        if (nice < -20 || nice > 19) {
            throw new IllegalArgumentException("nice must be -20..19: " + nice);
        }
        return SchedCalls.setNice(nice) == 0;
    }

    /** The calling thread's nice value. */
    public static int nice() {
        return SchedCalls.nice();
    }
}
