package io.sluice.l7.balance;

import io.sluice.l7.config.Pool;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static io.sluice.l7.balance.Pools.servers;
import static io.sluice.l7.balance.Pools.withHeader;
import static org.assertj.core.api.Assertions.assertThat;

final class PoolBalancerConcurrencyTest
{
    /**
     * Event loops pick while a health checker flips servers: every pick finds a server (one is
     * never taken down), nothing throws, in-flight counts return to zero, and once the flapping
     * stops the servers left down are no longer picked.
     */
    @ParameterizedTest
    @EnumSource(Pool.Balance.class)
    void picksStayValidWhileHealthFlaps(final Pool.Balance balance) throws InterruptedException
    {
        final PoolBalancer balancer = new PoolBalancer(new Pool("p", balance,
            new Pool.HashOn(Pool.HashOn.Kind.HEADER, "x-user"), new Pool.Sticky("lb"), servers("a", "b", "c", "d"), null));
        final AtomicBoolean flapping = new AtomicBoolean(true);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Map<String, Integer> picked = new ConcurrentHashMap<>();
        final Thread checker = Thread.ofPlatform().start(() ->
        {
            for (int i = 0; flapping.get(); i++)
            {
                balancer.upstream(List.of("b", "c", "d").get(i % 3)).healthy(i % 2 == 0);
            }
        });
        final List<Thread> eventLoops = new ArrayList<>();
        for (int t = 0; t < 4; t++)
        {
            final int loop = t;
            eventLoops.add(Thread.ofPlatform().start(() ->
            {
                try
                {
                    for (int i = 0; i < 50_000; i++)
                    {
                        final Pick pick = balancer.pick(withHeader("x-user", "u" + loop + "-" + (i % 100)), null);
                        assertThat(pick.upstream()).isNotNull();
                        pick.upstream().begin();
                        picked.merge(pick.upstream().name(), 1, Integer::sum);
                        pick.upstream().end();
                    }
                }
                catch (final Throwable e)
                {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (final Thread eventLoop : eventLoops)
        {
            eventLoop.join();
        }
        flapping.set(false);
        checker.join();

        assertThat(failure.get()).isNull();
        assertThat(picked.keySet()).contains("a");
        assertThat(balancer.upstreams()).allSatisfy(upstream -> assertThat(upstream.inFlight()).isZero());
        balancer.upstreams().forEach(upstream -> upstream.healthy(!upstream.name().equals("c")));
        for (int i = 0; i < 1000; i++)
        {
            assertThat(balancer.pick(withHeader("x-user", "u" + i), null).upstream().name()).isNotEqualTo("c");
        }
    }
}
