package io.sluice.bench.report;

import java.util.List;
import java.util.Locale;

/**
 * Latency percentiles of one open-loop run from h2load's per-request log (tab-separated: start
 * time, status, duration in microseconds; status -1 for a request never answered): nearest-rank
 * p50, p90, p99 and p99.9 over the answered requests, in milliseconds.
 */
public final class Percentiles
{
    private static final double[] RANKS = {0.5, 0.9, 0.99, 0.999};

    private Percentiles()
    {
    }

    /** "p50 p90 p99 p999 max answered", milliseconds to three places; zeros when nothing was answered. */
    public static String of(final List<String> logLines)
    {
        final long[] micros = logLines.stream().map(line -> line.split("\t")).filter(f -> f.length >= 3 && !"-1".equals(f[1]))
            .mapToLong(f -> Long.parseLong(f[2].strip())).sorted().toArray();
        final int n = micros.length;
        if (n == 0)
        {
            return "0 0 0 0 0";
        }
        final StringBuilder line = new StringBuilder();
        for (final double rank : RANKS)
        {
            line.append(millis(micros[nearestRank(rank, n) - 1])).append(' ');
        }
        return line.append(millis(micros[n - 1])).append(' ').append(n).toString();
    }

    /** The smallest k with k >= q * n. */
    static int nearestRank(final double q, final int n)
    {
        final int k = (int)(q * n);
        return k < q * n ? k + 1 : Math.max(k, 1);
    }

    private static String millis(final long micros)
    {
        return String.format(Locale.ROOT, "%.3f", micros / 1000.0);
    }
}
