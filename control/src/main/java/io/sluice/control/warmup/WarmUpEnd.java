package io.sluice.control.warmup;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

/**
 * Waits, while a warm-up's load runs, for its end: a fixed length's time, or the JIT settling
 * ({@link JitSettling}, sampled once a second from the JVM's CompilationMXBean) within the
 * length's bounds; and says why it ended, for {@code sluice l7}'s line after the warm-up.
 */
final class WarmUpEnd
{
    private static final long SAMPLE_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private WarmUpEnd()
    {
    }

    /**
     * Blocks until the warm-up begun at {@code startNs} (System.nanoTime) should end.
     *
     * @return why it ended: {@code 8 s, as asked}, {@code the JIT settled after 23 s}, or that it reached its maximum.
     */
    static String await(final WarmUpLength length, final long startNs) throws InterruptedException
    {
        final CompilationMXBean jit = ManagementFactory.getCompilationMXBean(); // null in a JVM without a JIT (-Xint)
        if (length.isFixed() || jit == null || !jit.isCompilationTimeMonitoringSupported())
        {
            sleepUntil(startNs + length.minimum().toNanos());
            return length.minimum().toSeconds() + " s, " + (length.isFixed() ? "as asked"
                : "its minimum: this JVM does not report its JIT's compilation time");
        }
        final JitSettling settling = new JitSettling(length);
        while (true)
        {
            final long sampledNs = System.nanoTime(); // the first sample, now, is the baseline
            if (settling.sample(sampledNs - startNs, jit.getTotalCompilationTime()) != JitSettling.Verdict.GO_ON)
            {
                return settling.why();
            }
            sleepUntil(sampledNs + SAMPLE_EVERY_NANOS); // a second from the last sample, however late that was
        }
    }

    static void sleepUntil(final long deadlineNs) throws InterruptedException
    {
        for (long left = deadlineNs - System.nanoTime(); left > 0; left = deadlineNs - System.nanoTime())
        {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }
}
