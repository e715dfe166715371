package io.sluice.bench.report;

import java.util.List;

/**
 * The median, minimum, maximum and count of a figure over the successful runs of one peer: the
 * median of an even count is the mean of the middle two; no runs give zeros, which every rule
 * reads as "not measured".
 */
public record Summary(double median, double min, double max, int count)
{
    public static final Summary NONE = new Summary(0, 0, 0, 0);

    public static Summary of(final List<Double> values)
    {
        if (values.isEmpty())
        {
            return NONE;
        }
        final double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        final int n = sorted.length;
        final double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Summary(median, sorted[0], sorted[n - 1], n);
    }

    public boolean measured()
    {
        return count > 0;
    }
}
