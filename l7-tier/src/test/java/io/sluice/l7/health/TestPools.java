package io.sluice.l7.health;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.sluice.l7.balance.PoolBalancer;
import io.sluice.l7.balance.Upstream;
import io.sluice.l7.config.HealthCheck;
import io.sluice.l7.config.Pool;
import io.sluice.l7.config.Server;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.fail;

/** Pools, checks and waiting for the health tests. */
final class TestPools
{
    private TestPools()
    {
    }

    /** A round-robin pool "p" of servers s0, s1, ... at the given addresses. */
    static PoolBalancer pool(final HealthCheck check, final InetSocketAddress... addresses)
    {
        return pool(check, Pool.Protocol.HTTP1, addresses);
    }

    /** A round-robin pool "p" spoken to in {@code protocol}, of servers s0, s1, ... at the given addresses. */
    static PoolBalancer pool(final HealthCheck check, final Pool.Protocol protocol, final InetSocketAddress... addresses)
    {
        final List<Server> servers = new ArrayList<>();
        for (int i = 0; i < addresses.length; i++)
        {
            servers.add(new Server("s" + i, addresses[i], 100));
        }
        return new PoolBalancer(new Pool("p", Pool.Balance.ROUND_ROBIN, null, null, servers, check, protocol));
    }

    /** A pool of {@code count} servers at addresses nobody checks (198.18.0.0/15). */
    static PoolBalancer unchecked(final int count)
    {
        final InetSocketAddress[] addresses = new InetSocketAddress[count];
        for (int i = 0; i < count; i++)
        {
            addresses[i] = new InetSocketAddress("198.18.0." + (i + 10), 8080);
        }
        return pool(null, addresses);
    }

    /**
     * Checks every 120 ms with a timeout of 100 ms: short enough for a fast suite, long enough
     * that a check on a loaded machine (the builds of others, a GC) does not time out by chance.
     */
    static final Duration INTERVAL = Duration.ofMillis(120);
    static final Duration TIMEOUT = Duration.ofMillis(100);

    static HealthCheck http(final String path, final String body, final int rise, final int fall)
    {
        return new HealthCheck(path, 200, body, INTERVAL, TIMEOUT, rise, fall, false);
    }

    static HealthCheck grpc(final int rise, final int fall)
    {
        return new HealthCheck(null, 0, null, INTERVAL, TIMEOUT, rise, fall, true);
    }

    /** The names the pool picks in {@code picks} tries. */
    static Set<String> picked(final PoolBalancer pool, final int picks)
    {
        final Set<String> names = new HashSet<>();
        for (int i = 0; i < picks; i++)
        {
            final Upstream upstream = pool.pick(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"), null).upstream();
            names.add(upstream == null ? null : upstream.name());
        }
        return names;
    }

    /** Waits (polling) until {@code condition} holds; fails saying what was awaited after {@code limit}. */
    static void await(final String what, final Duration limit, final BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail("not within " + limit.toMillis() + " ms: " + what);
            }
            try
            {
                Thread.sleep(5);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }
}
