package io.sluice.l7.balance;

import java.util.Arrays;

/**
 * The healthy servers of a pool at one moment, with their cumulative weights for weighted draws.
 * Immutable; the balancer builds a new one when the pool's health-change count moves, so
 * algorithms read plain arrays instead of every server's flag on every pick.
 */
final class HealthySet
{
    /** The pool's health-change count read before the flags were: stale as soon as it moves. */
    final long healthChanges;
    final Upstream[] upstreams;
    /** cumulativeWeights[i] is the sum of the weights of upstreams 0..i. */
    private final long[] cumulativeWeights;

    private HealthySet(final long healthChanges, final Upstream[] upstreams)
    {
        this.healthChanges = healthChanges;
        this.upstreams = upstreams;
        cumulativeWeights = new long[upstreams.length];
        long total = 0;
        for (int i = 0; i < upstreams.length; i++)
        {
            total += upstreams[i].weight();
            cumulativeWeights[i] = total;
        }
    }

    static HealthySet of(final Upstream[] all, final long healthChanges)
    {
        return new HealthySet(healthChanges, Arrays.stream(all).filter(Upstream::healthy).toArray(Upstream[]::new));
    }

    boolean isEmpty()
    {
        return upstreams.length == 0;
    }

    long totalWeight()
    {
        return upstreams.length == 0 ? 0 : cumulativeWeights[upstreams.length - 1];
    }

    /** The sum of the weights before upstream i. */
    long weightBefore(final int i)
    {
        return i == 0 ? 0 : cumulativeWeights[i - 1];
    }

    /** The upstream whose share of [0, totalWeight) holds {@code draw}. */
    int indexOfWeight(final long draw)
    {
        int low = 0;
        int high = upstreams.length - 1;
        while (low < high)
        {
            final int middle = (low + high) >>> 1;
            if (cumulativeWeights[middle] > draw)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }
        return low;
    }
}
