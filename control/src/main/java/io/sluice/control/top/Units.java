package io.sluice.control.top;

import java.util.Locale;

/** How top writes a rate in a column: short, with k, M and G for thousands, millions and billions. */
final class Units
{
    private Units()
    {
    }

    /** {@code 0}, {@code 0.5}, {@code 12.3}, {@code 812}, {@code 45.6k}, {@code 1.2M}, {@code 3.4G}. */
    static String rate(final double perS)
    {
        if (perS == 0)
        {
            return "0";
        }
        if (perS < 100)
        {
            return String.format(Locale.ROOT, "%.1f", perS);
        }
        if (perS < 10_000)
        {
            return String.format(Locale.ROOT, "%.0f", perS);
        }
        if (perS < 1e6)
        {
            return String.format(Locale.ROOT, "%.1fk", perS / 1e3);
        }
        if (perS < 1e9)
        {
            return String.format(Locale.ROOT, "%.1fM", perS / 1e6);
        }
        return String.format(Locale.ROOT, "%.1fG", perS / 1e9);
    }

    /** {@code 33.3%}. */
    static String percent(final double percent)
    {
        return String.format(Locale.ROOT, "%.1f%%", percent);
    }
}
