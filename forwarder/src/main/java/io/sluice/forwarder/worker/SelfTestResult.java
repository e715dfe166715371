package io.sluice.forwarder.worker;

import io.sluice.forwarder.dataplane.DropReason;

/**
 * How a worker reports its self-test of a VIP in the VIP's counter for that worker
 * ({@link io.sluice.forwarder.counters.CounterTypes#VIP_SELF_TEST}): the version of the
 * forwarding table it tested in the high bits, the outcome in the low 8, so one ordered write
 * carries both and a reader can tell a report on the table in force from an older one. The
 * outcome is {@link #PASSED}, a {@link DropReason} code, or {@link #ANSWERED}. A counter never
 * written holds version 0, which no published table has.
 */
public final class SelfTestResult
{
    /** The self-test packet was forwarded to a real. */
    public static final int PASSED = 0;
    /** The processor answered the self-test packet to its sender (an ICMP error) instead of forwarding it to a real. */
    public static final int ANSWERED = 0xFF;
    private static final int OUTCOME_BITS = 8;
    private static final int OUTCOME_MASK = (1 << OUTCOME_BITS) - 1;

    private SelfTestResult()
    {
    }

    public static long encode(final long tableVersion, final int outcome)
    {
        return (tableVersion << OUTCOME_BITS) | (outcome & OUTCOME_MASK);
    }

    public static long tableVersion(final long report)
    {
        return report >>> OUTCOME_BITS;
    }

    public static int outcome(final long report)
    {
        return (int)(report & OUTCOME_MASK);
    }

    /** {@code "passed"}, a drop reason's label ({@code "no-next-hop"}), or {@code "answered-not-forwarded"}. */
    public static String describe(final int outcome)
    {
        if (outcome == PASSED)
        {
            return "passed";
        }
        if (outcome == ANSWERED)
        {
            return "answered-not-forwarded";
        }
        final DropReason reason = DropReason.ofCode(outcome);
        return reason == null ? "outcome-" + outcome : reason.label();
    }
}
