package io.sluice.bench.report;

import java.util.Locale;

/**
 * Numbers as the result files print them, with a fixed count of decimals. A ratio is compared
 * with its target as printed ("0.995" is reported as 1.00 and meets 1.0), so the verdict always
 * agrees with the figure beside it.
 */
public final class Fixed
{
    private Fixed()
    {
    }

    public static String of(final double value, final int decimals)
    {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** The value rounded as {@link #of} prints it. */
    public static double rounded(final double value, final int decimals)
    {
        return Double.parseDouble(of(value, decimals));
    }
}
