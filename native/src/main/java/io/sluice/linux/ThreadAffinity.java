package io.sluice.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Pins the calling thread to one CPU, so a worker keeps its caches and never migrates mid-batch.
 * Java threads are kernel threads, so {@code sched_setaffinity(0, ...)} applies to exactly the
 * thread that calls it.
 */
public final class ThreadAffinity
{
    /** Enough bits for 1024 CPUs, glibc's default cpu_set_t. */
    private static final int MASK_BYTES = 128;

    private ThreadAffinity()
    {
    }

    /**
     * @param cpu a CPU number (0-based) the process may run on.
     * @throws IllegalArgumentException when the number is outside 0..1023.
     * @throws LinuxException when the kernel refuses, e.g. the CPU is offline or outside the
     *                        process's cpuset (EINVAL).
     */
    public static void pinCurrentThread(final int cpu)
    {
        if (cpu < 0 || cpu >= MASK_BYTES * 8)
        {
            throw new IllegalArgumentException("CPU " + cpu + " is outside 0.." + (MASK_BYTES * 8 - 1));
        }
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment mask = arena.allocate(MASK_BYTES);
            final long word = mask.getAtIndex(JAVA_LONG, cpu / 64);
            mask.setAtIndex(JAVA_LONG, cpu / 64, word | (1L << (cpu % 64)));
            LinuxException.check("sched_setaffinity(CPU " + cpu + ")",
                Libc.schedSetAffinity(Libc.errnoState(), 0, MASK_BYTES, mask));
        }
    }
}
