package io.sluice.l7.balance;

import io.sluice.l7.config.Pool;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static io.sluice.l7.balance.Pools.pickName;
import static io.sluice.l7.balance.Pools.pool;
import static io.sluice.l7.balance.Pools.request;
import static io.sluice.l7.balance.Pools.server;
import static io.sluice.l7.balance.Pools.servers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

final class LeastRequestTest
{
    private static final int PICKS = 10_000;

    private static PoolBalancer balancer(final Pool pool, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        return new PoolBalancer(pool, () -> random);
    }

    private static Map<String, Integer> counts(final PoolBalancer balancer)
    {
        final Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < PICKS; i++)
        {
            counts.merge(pickName(balancer, request()), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void theBusiestOfThreeIsNeverPicked()
    {
        // Two different servers are compared each time, so the busiest always loses.
        final PoolBalancer balancer = balancer(pool(Pool.Balance.LEAST_REQUEST, servers("a", "b", "c")), 1);
        for (int i = 0; i < 10; i++)
        {
            balancer.upstream("a").begin();
        }
        balancer.upstream("b").begin();

        final Map<String, Integer> counts = counts(balancer);

        assertThat(counts).doesNotContainKey("a");
        // c (idle) wins against a and b; b wins only when drawn with a: 1/3 of pairs.
        assertThat(counts.get("c") / (double)PICKS).isCloseTo(2 / 3.0, within(0.02));
        assertThat(counts.get("b") / (double)PICKS).isCloseTo(1 / 3.0, within(0.02));
    }

    @Test
    void ofTwoTheLessLoadedAlwaysWinsAndEndingRequestsChangesIt()
    {
        final PoolBalancer balancer = balancer(pool(Pool.Balance.LEAST_REQUEST, servers("a", "b")), 2);
        final Upstream a = balancer.upstream("a");
        a.begin();
        a.begin();

        assertThat(counts(balancer)).containsExactly(Map.entry("b", PICKS));
        a.end();
        a.end();
        balancer.upstream("b").begin();
        assertThat(counts(balancer)).containsExactly(Map.entry("a", PICKS));
        assertThat(a.inFlight()).isZero();
    }

    @Test
    void equallyLoadedServersArePickedByWeight()
    {
        // A tie goes to the first drawn, and the first draw is weighted: 3:1 gives 75% and 25%.
        final PoolBalancer balancer = balancer(pool(Pool.Balance.LEAST_REQUEST, List.of(server("a", 3), server("b", 1))), 3);
        final Map<String, Integer> counts = counts(balancer);

        assertThat(counts.get("a") / (double)PICKS).isCloseTo(0.75, within(0.02));
        assertThat(counts(balancer(pool(Pool.Balance.LEAST_REQUEST, List.of(server("a", 3), server("b", 1))), 3)))
            .as("deterministic for a seed").isEqualTo(counts);
    }

    @Test
    void unhealthyServersAreNeverPicked()
    {
        final PoolBalancer balancer = balancer(pool(Pool.Balance.LEAST_REQUEST, servers("a", "b", "c", "d")), 4);
        balancer.upstream("c").healthy(false);

        assertThat(counts(balancer)).as("idle, but down").doesNotContainKey("c").containsKeys("a", "b", "d");
        balancer.upstream("a").begin();
        balancer.upstream("b").healthy(false);
        balancer.upstream("d").healthy(false);
        assertThat(counts(balancer)).as("one healthy server, however loaded").containsExactly(Map.entry("a", PICKS));
    }
}
