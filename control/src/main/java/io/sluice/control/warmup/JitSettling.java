package io.sluice.control.warmup;

/**
 * The rule that ends a warm-up of {@code --warm-up auto}: fed, about once a second, the time
 * since the warm-up began and the JIT's total compilation time so far (the JVM's
 * CompilationMXBean), it says to go on while the JIT is still compiling. The JIT has settled
 * when, in each of {@link #QUIET_SAMPLES} intervals in a row, it compiled for less than
 * {@link #QUIET_SHARE} of the wall time; not before the minimum (the load's first seconds are
 * quiet only because nothing has been hot long enough to compile), and never after the maximum.
 * Why a time is wrong either way: under a CPU budget the compiler threads share the budget, and
 * C2 takes ~40 s of HTTP/2-over-TLS load to finish on 40 % of a core, against a few seconds on a
 * whole one.
 */
final class JitSettling
{
    /** Below 2 % of the wall time, what is still compiled no longer changes the figures. */
    static final double QUIET_SHARE = 0.02;
    static final int QUIET_SAMPLES = 3;
    private static final double NANOS_PER_MILLI = 1e6;
    private static final double NANOS_PER_SECOND = 1e9;

    /** What a sample says. */
    enum Verdict
    {
        GO_ON,
        SETTLED,
        AT_MAXIMUM
    }

    private final WarmUpLength length;
    /** The last sample's time since the start, or -1 before the first. */
    private long lastNanos = -1;
    private long lastCompilationMillis;
    private double lastShare;
    private int quietInARow;
    private long endedAtNanos;

    JitSettling(final WarmUpLength length)
    {
        this.length = length;
    }

    /**
     * @param sinceStartNanos   the time since the warm-up began.
     * @param compilationMillis the JIT's total compilation time since the JVM started (summed over its threads).
     */
    Verdict sample(final long sinceStartNanos, final long compilationMillis)
    {
        if (lastNanos >= 0 && sinceStartNanos > lastNanos)
        {
            lastShare = (compilationMillis - lastCompilationMillis) / (double)(sinceStartNanos - lastNanos) * NANOS_PER_MILLI;
            quietInARow = lastShare < QUIET_SHARE ? quietInARow + 1 : 0;
        }
        lastNanos = sinceStartNanos;
        lastCompilationMillis = compilationMillis;
        endedAtNanos = sinceStartNanos;
        if (sinceStartNanos >= length.minimum().toNanos() && quietInARow >= QUIET_SAMPLES)
        {
            return Verdict.SETTLED;
        }
        return sinceStartNanos >= length.maximum().toNanos() ? Verdict.AT_MAXIMUM : Verdict.GO_ON;
    }

    /** Why the warm-up ended, after a sample said {@link Verdict#SETTLED} or {@link Verdict#AT_MAXIMUM}. */
    String why()
    {
        final long seconds = Math.round(endedAtNanos / NANOS_PER_SECOND);
        return quietInARow >= QUIET_SAMPLES ? "the JIT settled after " + seconds + " s"
            : "reached the " + length.maximum().toSeconds() + " s maximum with the JIT still compiling ("
                + Math.round(lastShare * 100) + " % of the last second)";
    }
}
