package io.sluice.l7.route;

import io.sluice.l7.config.Route;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A route's weighted split over its pools (a 90/10 canary): each request draws independently, so
 * the proportions hold over many requests from many event loops without shared state.
 */
final class PoolSplit
{
    private final String[] pools;
    /** cumulativeWeights[i] is the sum of the weights of pools 0..i. */
    private final long[] cumulativeWeights;

    PoolSplit(final String route, final List<Route.WeightedPool> to)
    {
        if (to.isEmpty())
        {
            throw new IllegalArgumentException("route '" + route + "' sends to no pool");
        }
        pools = new String[to.size()];
        cumulativeWeights = new long[to.size()];
        long total = 0;
        for (int i = 0; i < to.size(); i++)
        {
            final int weight = to.get(i).weight();
            if (weight < 0 && to.size() > 1)
            {
                throw new IllegalArgumentException("route '" + route + "': pool '" + to.get(i).pool() + "' has weight " + weight);
            }
            pools[i] = to.get(i).pool();
            total += Math.max(weight, 0);
            cumulativeWeights[i] = total;
        }
        if (total == 0 && to.size() > 1)
        {
            throw new IllegalArgumentException("route '" + route + "': the weights of its pools add up to 0");
        }
    }

    String choose(final RandomGenerator random)
    {
        if (pools.length == 1)
        {
            return pools[0];
        }
        final long draw = random.nextLong(cumulativeWeights[cumulativeWeights.length - 1]);
        // Few pools per route (two for a canary): a scan beats a binary search.
        int i = 0;
        while (draw >= cumulativeWeights[i])
        {
            i++;
        }
        return pools[i];
    }
}
