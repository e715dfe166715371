package io.sluice.l7.server;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.sluice.l7.balance.Pick;
import io.sluice.l7.balance.PoolBalancer;
import io.sluice.l7.cache.ResponseCache;
import io.sluice.l7.config.L7Config;
import io.sluice.l7.config.Pool;
import io.sluice.l7.filter.FilterChain;
import io.sluice.l7.health.OutlierDetector;
import io.sluice.l7.route.CompiledRoute;
import io.sluice.l7.route.Router;
import io.sluice.l7.proxy.RequestRouter;
import io.sluice.l7.proxy.RoutedRequest;
import io.sluice.l7.ratelimit.RateLimitFilter;
import io.sluice.l7.ratelimit.SharedLimiter;
import io.sluice.l7.upstream.BackendTls;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * A configuration's routes and pools as the proxy asks for them: the first matching route, one
 * of its pools by weight, a server of that pool by the pool's algorithm (sticky cookie first),
 * and the route's filters (its rewrites among them). Immutable apart from the pools' own counters; shared by every
 * event loop.
 */
public final class ConfiguredRouter implements RequestRouter
{
    private final Router router;
    private final Map<String, PoolBalancer> pools = new HashMap<>();
    /** The h2 pools' TLS, made once per configuration (so a file that cannot be used refuses it). */
    private final Map<String, BackendTls> backendTls = new HashMap<>();
    /** Ejects a server whose exchanges keep failing (consecutive 5xx or connect failures). */
    private final OutlierDetector outliers;
    /** {@code limits.max_body}: the largest body of a request whose route sets no {@code max_body} (or that no route took). */
    private final long maxBodyLimit;

    /** A first configuration without a store for global rate limits. */
    public ConfiguredRouter(final L7Config config)
    {
        this(config, null, () -> null);
    }

    /**
     * @param previous      the router of the configuration this one replaces (a reload), whose servers
     *                      that stay keep their outlier ejections, and whose routes' caches and rate
     *                      limits go on where they are the same; or null.
     * @param sharedLimiter the proxy's store for global rate limits, read per decision (null while there is none).
     */
    public ConfiguredRouter(final L7Config config, final ConfiguredRouter previous, final Supplier<SharedLimiter> sharedLimiter)
    {
        this.router = new Router(config.routes(), sharedLimiter);
        for (final Pool pool : config.pools().values())
        {
            pools.put(pool.name(), new PoolBalancer(pool));
            if (pool.protocol().tls() != null)
            {
                backendTls.put(pool.name(), tlsOf(pool));
            }
        }
        this.outliers = new OutlierDetector(pools.values(), previous == null ? null : previous.outliers);
        this.maxBodyLimit = config.limits().maxBodyBytes();
        if (previous != null)
        {
            carryOver(previous, ResponseCache.class, ResponseCache::carryOver);
            // A reload must not hand every client a whole allowance again.
            carryOver(previous, RateLimitFilter.class, RateLimitFilter::carryOver);
        }
    }

    /** Each route's filter of that kind goes on from the one of the same route in {@code previous}, if it has one. */
    private <T> void carryOver(final ConfiguredRouter previous, final Class<T> kind, final BiConsumer<T, T> carry)
    {
        final Map<String, T> before = previous.filters(kind);
        filters(kind).forEach((route, filter) ->
        {
            if (before.containsKey(route))
            {
                carry.accept(filter, before.get(route));
            }
        });
    }

    /** The routes' response caches by route name (a route with {@code cache:}), for purges and metrics. */
    public Map<String, ResponseCache> caches()
    {
        return filters(ResponseCache.class);
    }

    /** The routes' request filters of one kind, by route name (a route has one of each kind at most). */
    private <T> Map<String, T> filters(final Class<T> kind)
    {
        final Map<String, T> found = new TreeMap<>();
        for (final CompiledRoute route : router.routes())
        {
            final FilterChain filters = route.filters();
            for (int i = 0; i < filters.requestFilters(); i++)
            {
                if (kind.isInstance(filters.requestFilter(i)))
                {
                    found.put(route.name(), kind.cast(filters.requestFilter(i)));
                }
            }
        }
        return found;
    }

    private static BackendTls tlsOf(final Pool pool)
    {
        try
        {
            return BackendTls.of(pool.protocol().tls());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("pools." + pool.name() + ": " + ex.getMessage(), ex);
        }
    }

    /** The outlier detector's view, for the admin endpoint. */
    public OutlierDetector outliers()
    {
        return outliers;
    }

    /** The pools' balancers by name, for health checks and the admin endpoint. */
    public Map<String, PoolBalancer> pools()
    {
        return Map.copyOf(pools);
    }

    @Override
    public RoutedRequest route(final HttpRequest request, final InetSocketAddress client)
    {
        final CompiledRoute route = router.match(request);
        if (route == null)
        {
            return new Refused(HttpResponseStatus.NOT_FOUND.code(), null, null, maxBodyLimit);
        }
        final PoolBalancer pool = pools.get(route.choosePool());
        final Pick pick = pool.pick(request, client);
        if (pick.upstream() == null)
        {
            return new Refused(HttpResponseStatus.SERVICE_UNAVAILABLE.code(), route.name(), pool.name(),
                route.maxBodyBytes(maxBodyLimit));
        }
        pick.upstream().begin();
        return new Routed(route, pool, request, client, pick, request.uri());
    }

    /** A request sent to a server; {@link #finished} ends its in-flight count and reports its outcome, once. */
    private final class Routed implements RoutedRequest
    {
        /** Picks for a retry that may land on the failed server again before another is taken. */
        private static final int RETRY_PICKS = 4;

        private final CompiledRoute route;
        private final PoolBalancer pool;
        private final HttpRequest request;
        private final InetSocketAddress client;
        private final Pick pick;
        private final String uri;
        private boolean finished;

        Routed(final CompiledRoute route, final PoolBalancer pool, final HttpRequest request, final InetSocketAddress client,
            final Pick pick, final String uri)
        {
            this.route = route;
            this.pool = pool;
            this.request = request;
            this.client = client;
            this.pick = pick;
            this.uri = uri;
        }

        /** Another server of the same pool than the one that failed, if the pool has one up. */
        @Override
        public RoutedRequest retry(final int failure)
        {
            finished(failure);
            for (int i = 0; i < RETRY_PICKS; i++)
            {
                final Pick next = pool.pick(request, client);
                if (next.upstream() == null)
                {
                    return null;
                }
                if (next.upstream() != pick.upstream())
                {
                    next.upstream().begin();
                    return new Routed(route, pool, request, client, next, uri);
                }
            }
            return null;
        }

        @Override
        public String routeName()
        {
            return route.name();
        }

        @Override
        public String poolName()
        {
            return pool.name();
        }

        @Override
        public String serverName()
        {
            return pick.upstream().name();
        }

        @Override
        public InetSocketAddress backend()
        {
            return pick.upstream().server().address();
        }

        @Override
        public Pool.SendProxy sendProxy()
        {
            return pool.pool().sendProxy();
        }

        @Override
        public long maxBodyBytes()
        {
            return route.maxBodyBytes(maxBodyLimit);
        }

        @Override
        public Pool.Protocol protocol()
        {
            return pool.pool().protocol();
        }

        @Override
        public BackendTls backendTls()
        {
            return backendTls.get(pool.name());
        }

        @Override
        public int refusalStatus()
        {
            return 0;
        }

        @Override
        public String uri()
        {
            return uri;
        }

        @Override
        public FilterChain filters()
        {
            return route.filters();
        }

        @Override
        public void editResponseHeaders(final HttpHeaders headers)
        {
            if (pick.setCookie() != null)
            {
                headers.add(HttpHeaderNames.SET_COOKIE, pick.setCookie());
            }
        }

        @Override
        public void finished(final int status)
        {
            if (!finished)
            {
                finished = true;
                pick.upstream().end();
                outliers.outcome(pick.upstream(), status);
            }
        }
    }

    /**
     * A request no server takes: no route (404) or no healthy server (503). Its body is still
     * limited (the route's, or the configuration's without one): the proxy reads it to keep the
     * connection, and an oversized one is refused as such.
     */
    private record Refused(int refusalStatus, String routeName, String poolName, long maxBodyBytes) implements RoutedRequest
    {
        @Override
        public InetSocketAddress backend()
        {
            return null;
        }

        @Override
        public String uri()
        {
            return null;
        }

        @Override
        public void editRequestHeaders(final HttpHeaders headers)
        {
        }

        @Override
        public void editResponseHeaders(final HttpHeaders headers)
        {
        }

        @Override
        public void finished(final int status)
        {
        }
    }
}
