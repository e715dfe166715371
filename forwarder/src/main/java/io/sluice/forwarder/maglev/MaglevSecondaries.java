package io.sluice.forwarder.maglev;

import java.util.Arrays;

/**
 * Each row's second real for GLB's "second chance": the owner of the row in the Maglev table
 * built over the same endpoints without the row's own (its primary). After an endpoint joins, a
 * row that moved to it has as secondary exactly the endpoint that owned it before (the table
 * without the newcomer is the old table), so a connection that a forwarder without its flow
 * sends to the newcomer is passed on by the newcomer to where it lives; and since the tables are
 * functions of the configuration alone, every forwarder computes the same secondaries.
 *
 * <p>One table per endpoint that is some row's primary, built one after the other and dropped
 * (one table's memory at a time on top of the result); the result is one int per row, an index
 * into the endpoints like the table's own. Built off the data path, only for VIPs with second
 * chance on.
 */
public final class MaglevSecondaries
{
    private MaglevSecondaries()
    {
    }

    /**
     * @param primaries    the table the data path reads (built by {@link MaglevTable#build} over
     *                     these endpoints, possibly with the rows of endpoints that are down given
     *                     to others), {@link MaglevTable#NO_ENDPOINT} where there is none.
     * @param endpointKeys as for {@link MaglevTable#build}.
     * @param weights      as for {@link MaglevTable#build}, 0 for an endpoint that must not be a
     *                     secondary (drained or down).
     * @return for each row of {@code primaries}, the index of its secondary, or
     *         {@link MaglevTable#NO_ENDPOINT} when the row has no primary or no other endpoint has
     *         a positive weight.
     */
    public static int[] build(final int[] primaries, final long[] endpointKeys, final int[] weights)
    {
        final int[] secondaries = new int[primaries.length];
        Arrays.fill(secondaries, MaglevTable.NO_ENDPOINT);
        final boolean[] isPrimary = new boolean[endpointKeys.length];
        for (final int primary : primaries)
        {
            if (primary >= 0)
            {
                isPrimary[primary] = true;
            }
        }
        final int[] without = weights.clone();
        for (int excluded = 0; excluded < endpointKeys.length; excluded++)
        {
            if (!isPrimary[excluded])
            {
                continue;
            }
            without[excluded] = 0;
            final int[] table = MaglevTable.build(endpointKeys, without, primaries.length);
            without[excluded] = weights[excluded];
            for (int row = 0; row < primaries.length; row++)
            {
                if (primaries[row] == excluded)
                {
                    secondaries[row] = table[row];
                }
            }
        }
        return secondaries;
    }
}
