package io.sluice.bench.chart;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A value axis from 0 to a round maximum at or above the largest value, with about five ticks at
 * 1, 2 or 5 times a power of ten, so that a reader can read a bar or a point against the grid.
 */
public record LinearAxis(double max, double step)
{
    public static LinearAxis upTo(final double largest)
    {
        if (!(largest > 0))
        {
            return new LinearAxis(1, 0.2);
        }
        final double rough = largest / 5;
        final double power = Math.pow(10, Math.floor(Math.log10(rough)));
        final double fraction = rough / power;
        final double step = (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
        return new LinearAxis(Math.ceil(largest / step - 1e-9) * step, step);
    }

    public List<Double> ticks()
    {
        final List<Double> ticks = new ArrayList<>();
        for (int i = 0; i * step <= max + step / 1e6; i++)
        {
            ticks.add(i * step);
        }
        return ticks;
    }

    /** The share of the axis's length a value reaches, 0 at 0 and 1 at the maximum. */
    public double share(final double value)
    {
        return value / max;
    }

    /** A value as an axis or bar label: 12 000 as "12k", 1 500 000 as "1.5M", small values with their decimals. */
    public static String label(final double value)
    {
        final double size = Math.abs(value);
        if (size >= 1e6)
        {
            return trim(value / 1e6) + "M";
        }
        if (size >= 1e4)
        {
            return trim(value / 1e3) + "k";
        }
        if (size >= 100 || value == Math.rint(value))
        {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        return size >= 10 ? trim(value) : String.format(Locale.ROOT, "%.3g", value).replaceAll("\\.?0+$", "");
    }

    private static String trim(final double value)
    {
        final String text = String.format(Locale.ROOT, "%.1f", value);
        return text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
    }
}
