package org.cnn4j.train;

import java.lang.management.ManagementFactory;

/**
 * Bytes allocated on the Java heap by all live threads so far (HotSpot's per-thread allocation counters), to measure
 * the garbage a piece of work makes: read it before and after. Threads that ended in between are not counted, and
 * the reading itself allocates a few small arrays.
 */
public final class Allocations {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Allocations() {
    }

    /** Whether this JVM counts allocations per thread (HotSpot does, unless switched off). */
    public static boolean supported() {
        return THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled();
    }

    /** Total bytes allocated so far by the threads alive now, or -1 if the JVM does not count them. */
    public static long allocatedBytes() {
        if (!supported()) {
            return -1;
        }
        long total = 0;
        for (long bytes : THREADS.getThreadAllocatedBytes(THREADS.getAllThreadIds())) {
            total += Math.max(0, bytes);
        }
        return total;
    }
}
