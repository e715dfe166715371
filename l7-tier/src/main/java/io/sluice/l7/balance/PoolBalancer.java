package io.sluice.l7.balance;

import io.netty.handler.codec.http.HttpRequest;
import io.sluice.l7.config.Pool;
import io.sluice.l7.config.Server;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Picks a server of one pool for each request: a healthy server named by the request's sticky
 * cookie if the pool has one, else the pool's algorithm's choice among the healthy servers.
 *
 * <p>One instance per pool per configuration, shared by every event loop. Picking takes no lock:
 * the healthy servers are an immutable {@link HealthySet} rebuilt (by whichever event loop
 * notices first) when a health flag changes, and the algorithms' state is atomics. The proxy
 * calls {@link Upstream#begin()} and {@link Upstream#end()} around each request it sends, which
 * least-request reads.
 */
public final class PoolBalancer
{
    private final Pool pool;
    private final Upstream[] upstreams;
    private final Map<String, Upstream> byName;
    private final AtomicLong healthChanges = new AtomicLong();
    private final Algorithm algorithm;
    /** The sticky cookie's name, or null when the pool is not sticky. */
    private final String stickyCookie;
    /** Servers by {@link Upstream#stickyValue()}; empty when the pool is not sticky. */
    private final Map<String, Upstream> byStickyValue;

    private volatile HealthySet healthy;

    public PoolBalancer(final Pool pool)
    {
        this(pool, ThreadLocalRandom::current);
    }

    /**
     * @param random the random source for least-request's draws, fetched per pick; tests pass a
     *               seeded one (which must then be thread-safe if the test picks from threads).
     * @throws IllegalArgumentException when the pool cannot be served, naming it and why.
     */
    public PoolBalancer(final Pool pool, final Supplier<? extends RandomGenerator> random)
    {
        this.pool = pool;
        if (pool.servers().isEmpty())
        {
            throw new IllegalArgumentException("pool '" + pool.name() + "' has no servers");
        }
        stickyCookie = pool.sticky() == null ? null : pool.sticky().cookie();
        upstreams = new Upstream[pool.servers().size()];
        final Map<String, Upstream> names = new HashMap<>();
        final Map<String, Upstream> stickyValues = new HashMap<>();
        for (int i = 0; i < upstreams.length; i++)
        {
            final Server server = pool.servers().get(i);
            if (server.weight() < 1)
            {
                throw new IllegalArgumentException("pool '" + pool.name() + "': server '" + server.name() + "' has weight " + server.weight());
            }
            upstreams[i] = new Upstream(server, healthChanges, stickyCookie);
            if (names.put(server.name(), upstreams[i]) != null)
            {
                throw new IllegalArgumentException("pool '" + pool.name() + "' has two servers named '" + server.name() + "'");
            }
            final Upstream sameCookie = stickyValues.put(upstreams[i].stickyValue(), upstreams[i]);
            if (sameCookie != null && stickyCookie != null)
            {
                throw new IllegalArgumentException("pool '" + pool.name() + "': servers '" + sameCookie.name() + "' and '"
                    + server.name() + "' have the same sticky cookie value; rename one");
            }
        }
        byName = Map.copyOf(names);
        byStickyValue = stickyCookie == null ? Map.of() : Map.copyOf(stickyValues);
        algorithm = switch (pool.balance())
        {
            case ROUND_ROBIN -> new SmoothWeightedRoundRobin();
            case LEAST_REQUEST -> new LeastRequest(random);
            case HASH ->
            {
                if (pool.hashOn() == null)
                {
                    throw new IllegalArgumentException("pool '" + pool.name() + "' hashes but says not on what");
                }
                yield new RingHash(pool.hashOn(), upstreams, new SmoothWeightedRoundRobin());
            }
        };
        healthy = HealthySet.of(upstreams, healthChanges.get());
    }

    public Pool pool()
    {
        return pool;
    }

    public String name()
    {
        return pool.name();
    }

    /** In the configuration's order; the health checker sets their flags. */
    public List<Upstream> upstreams()
    {
        return List.of(upstreams);
    }

    /** The pool's server of that name, or null. */
    public Upstream upstream(final String serverName)
    {
        return byName.get(serverName);
    }

    /**
     * Where this request goes, and for a sticky pool the cookie to set on the response.
     *
     * @param client the client's address (hashing on it needs it), or null when unknown.
     * @return {@link Pick#NONE} when no server is healthy; never null.
     */
    public Pick pick(final HttpRequest request, final InetSocketAddress client)
    {
        final HealthySet current = healthySet();
        if (current.isEmpty())
        {
            return Pick.NONE;
        }
        if (stickyCookie == null)
        {
            return algorithm.choose(request, client, current).pick();
        }
        final String cookie = RequestCookies.value(request.headers(), stickyCookie);
        if (cookie != null)
        {
            final Upstream named = byStickyValue.get(cookie);
            if (named != null && named.healthy())
            {
                return named.pick();
            }
        }
        // No cookie, or one naming a server that is down or gone: choose afresh and say so.
        return algorithm.choose(request, client, current).pickSettingCookie();
    }

    private HealthySet healthySet()
    {
        // The count is read before the flags, so a change during the rebuild leaves the new set
        // already stale and the next pick rebuilds again: a set is never newer than its count says.
        final long changes = healthChanges.get();
        HealthySet current = healthy;
        if (current.healthChanges != changes)
        {
            current = HealthySet.of(upstreams, changes);
            healthy = current;
        }
        return current;
    }

    @Override
    public String toString()
    {
        return "pool '" + pool.name() + "' " + List.of(upstreams);
    }
}
