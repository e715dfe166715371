package io.sluice.bench.report;

/**
 * The words a report gives a target, and the rule for a ratio with a target: reached at or above
 * it, else by how many per cent of the target it fell short; a target of 0 is a figure shown
 * without one.
 */
public final class Verdict
{
    public static final String MET = "met";
    public static final String NOT_MET = "not met";
    public static final String NO_VERDICT = "no verdict";
    public static final String NOT_MEASURED = "not measured";

    private Verdict()
    {
    }

    /** A's median over B's, 0 when B has none. */
    public static double ratio(final double a, final double b)
    {
        return b > 0 ? a / b : 0;
    }

    public static String ofRatio(final double ratio, final double target)
    {
        if (target == 0)
        {
            return "no target";
        }
        return ratio >= target ? "reached" : "not reached by " + Fixed.of((target - ratio) / target * 100, 0) + "%";
    }
}
