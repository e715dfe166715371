package io.sluice.l7.balance;

import io.sluice.l7.config.Pool;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.sluice.l7.balance.Pools.pool;
import static io.sluice.l7.balance.Pools.servers;
import static org.assertj.core.api.Assertions.assertThat;

final class UpstreamTest
{
    @Test
    void startsHealthyAndIdle()
    {
        final PoolBalancer balancer = new PoolBalancer(pool(Pool.Balance.ROUND_ROBIN, servers("a")));
        final Upstream upstream = balancer.upstream("a");

        assertThat(upstream.healthy()).isTrue();
        assertThat(upstream.inFlight()).isZero();
        assertThat(upstream.server().address().getAddress().getHostAddress()).isEqualTo("198.18.0.10");
        assertThat(balancer.upstreams()).containsExactly(upstream);
        assertThat(balancer.upstream("missing")).isNull();
    }

    @Test
    void pickableOnlyWhenNeitherChecksNorEjectionTookItOut()
    {
        final PoolBalancer balancer = new PoolBalancer(pool(Pool.Balance.ROUND_ROBIN, servers("a", "b")));
        final Upstream a = balancer.upstream("a");

        a.ejected(true);
        a.healthy(false);
        a.ejected(false); // ejection ends; the checks still say no
        assertThat(a.healthy()).isFalse();
        assertThat(a.passesChecks()).isFalse();
        assertThat(Pools.pickName(balancer, Pools.request())).isEqualTo("b");
        assertThat(a).hasToString("a@/198.18.0.10:8080 (unhealthy)");

        a.ejected(true);
        a.healthy(true); // the checks pass; ejection still says no
        assertThat(a.healthy()).isFalse();
        assertThat(a.ejected()).isTrue();
        assertThat(Pools.pickName(balancer, Pools.request())).isEqualTo("b");
        assertThat(a).hasToString("a@/198.18.0.10:8080 (ejected)");

        a.ejected(false);
        assertThat(a.healthy()).isTrue();
        assertThat(List.of(Pools.pickName(balancer, Pools.request()), Pools.pickName(balancer, Pools.request()))).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void inFlightCountsStayExactAcrossThreads() throws InterruptedException
    {
        final Upstream upstream = new PoolBalancer(pool(Pool.Balance.LEAST_REQUEST, servers("a"))).upstream("a");
        final List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++)
        {
            threads.add(Thread.ofPlatform().start(() ->
            {
                for (int i = 0; i < 100_000; i++)
                {
                    upstream.begin();
                    upstream.end();
                    upstream.begin();
                }
            }));
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        assertThat(upstream.inFlight()).isEqualTo(400_000);
    }
}
