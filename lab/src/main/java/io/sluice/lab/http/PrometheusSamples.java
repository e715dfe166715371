package io.sluice.lab.http;

/**
 * Reads counters out of a Prometheus text exposition (what {@code sluice l7} serves on
 * {@code GET /metrics}), so the lab can check a claim against the proxy's own count of it.
 */
public final class PrometheusSamples
{
    private PrometheusSamples()
    {
    }

    /**
     * The sum of the samples of {@code family} whose labels include every one of {@code labels}.
     *
     * @param labels each {@code name="value"}, as the exposition writes it ({@code session="resumed"}).
     */
    public static long sum(final String exposition, final String family, final String... labels)
    {
        long sum = 0;
        for (final String line : exposition.lines().toList())
        {
            if (line.startsWith(family + "{") && hasLabels(line.substring(family.length(), line.lastIndexOf('}') + 1), labels))
            {
                sum += (long)Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** Whether {@code {a="1",b="2"}} holds each label; a label is matched whole, from its {@code {} or {@code ,}. */
    private static boolean hasLabels(final String braced, final String... labels)
    {
        for (final String label : labels)
        {
            if (!braced.contains("{" + label + ",") && !braced.contains("," + label + ",") &&
                !braced.contains("{" + label + "}") && !braced.contains("," + label + "}"))
            {
                return false;
            }
        }
        return true;
    }
}
