package io.sluice.l7.balance;

import io.sluice.l7.config.Pool;
import io.sluice.l7.config.Server;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.sluice.l7.balance.Pools.pickName;
import static io.sluice.l7.balance.Pools.pool;
import static io.sluice.l7.balance.Pools.request;
import static io.sluice.l7.balance.Pools.server;
import static io.sluice.l7.balance.Pools.servers;
import static org.assertj.core.api.Assertions.assertThat;

final class RoundRobinTest
{
    private static List<String> picks(final PoolBalancer balancer, final int count)
    {
        final List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            names.add(pickName(balancer, request()));
        }
        return names;
    }

    private static PoolBalancer weighted(final int a, final int b, final int c)
    {
        return new PoolBalancer(pool(Pool.Balance.ROUND_ROBIN, List.of(server("a", a), server("b", b), server("c", c))));
    }

    @Test
    void weightsFiveOneOneGiveNginxsSmoothSequence()
    {
        assertThat(picks(weighted(5, 1, 1), 14)).containsExactly(
            "a", "a", "b", "a", "c", "a", "a",
            "a", "a", "b", "a", "c", "a", "a");
    }

    @Test
    void scaledWeightsGiveTheSameSequence()
    {
        assertThat(picks(weighted(500, 100, 100), 7)).containsExactly("a", "a", "b", "a", "c", "a", "a");
        assertThat(picks(weighted(1, 1, 1), 6)).containsExactly("a", "b", "c", "a", "b", "c");
        assertThat(picks(weighted(2, 1, 1), 4)).containsExactly("a", "b", "c", "a");
    }

    @Test
    void unhealthyServersAreSkippedAndReturnToTheCycle()
    {
        final PoolBalancer balancer = new PoolBalancer(pool(Pool.Balance.ROUND_ROBIN, servers("a", "b", "c")));

        balancer.upstream("b").healthy(false);
        assertThat(picks(balancer, 6)).containsOnly("a", "c").contains("a", "c");
        balancer.upstream("b").healthy(true);
        assertThat(picks(balancer, 3)).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void noHealthyServerIsNoPick()
    {
        final PoolBalancer balancer = new PoolBalancer(pool(Pool.Balance.ROUND_ROBIN, servers("a", "b")));
        balancer.upstreams().forEach(upstream -> upstream.healthy(false));

        assertThat(balancer.pick(request(), null)).isSameAs(Pick.NONE);
        balancer.upstream("a").healthy(true);
        assertThat(pickName(balancer, request())).isEqualTo("a");
    }

    @Test
    void oddWeightsAreScaledToABoundedCycle()
    {
        final Upstream[] upstreams = {
            new Upstream(server("a", 65535), new AtomicLong(), null, new InFlight()),
            new Upstream(server("b", 65534), new AtomicLong(), null, new InFlight()),
            new Upstream(server("c", 1), new AtomicLong(), null, new InFlight())};
        final Upstream[] cycle = SmoothWeightedRoundRobin.cycle(upstreams);

        assertThat(cycle.length).isLessThanOrEqualTo(SmoothWeightedRoundRobin.MAX_CYCLE);
        final long a = java.util.Arrays.stream(cycle).filter(u -> u == upstreams[0]).count();
        final long c = java.util.Arrays.stream(cycle).filter(u -> u == upstreams[2]).count();
        assertThat(a / (double)cycle.length).isCloseTo(65535 / 131070.0, org.assertj.core.api.Assertions.within(0.001));
        assertThat(c).as("the lightest keeps a turn").isEqualTo(1);
    }

    @Test
    void eventLoopsPickingAtOnceShareOneCycle() throws InterruptedException
    {
        // Every pick takes the next turn of one shared cycle, so however the threads interleave,
        // 7000 picks over 5:1:1 are exactly 5000, 1000 and 1000.
        final PoolBalancer balancer = weighted(5, 1, 1);
        final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        final int threads = 4;
        final CountDownLatch start = new CountDownLatch(1);
        final List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++)
        {
            workers.add(Thread.ofPlatform().start(() ->
            {
                try
                {
                    start.await();
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < 7000 / threads; i++)
                {
                    counts.computeIfAbsent(pickName(balancer, request()), name -> new AtomicInteger()).incrementAndGet();
                }
            }));
        }
        start.countDown();
        for (final Thread worker : workers)
        {
            worker.join();
        }
        assertThat(counts.get("a")).hasValue(5000);
        assertThat(counts.get("b")).hasValue(1000);
        assertThat(counts.get("c")).hasValue(1000);
    }

    @Test
    void refusesPoolsItCannotServe()
    {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PoolBalancer(pool(Pool.Balance.ROUND_ROBIN,
            List.of(server("a", 1), new Server("a", Pools.client("198.18.0.99"), 1))))).hasMessageContaining("two servers named 'a'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PoolBalancer(pool(Pool.Balance.ROUND_ROBIN,
            List.of(server("a", 0))))).hasMessageContaining("weight 0");
    }
}
