package io.sluice.l7.server;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.EventExecutor;
import io.sluice.l7.balance.Pick;
import io.sluice.l7.balance.PoolBalancer;
import io.sluice.l7.balance.QueueListener;
import io.sluice.l7.balance.QueuedRequest;
import io.sluice.l7.cache.ResponseCache;
import io.sluice.l7.config.L7Config;
import io.sluice.l7.config.Pool;
import io.sluice.l7.filter.FilterChain;
import io.sluice.l7.filter.Identity;
import io.sluice.l7.health.OutlierDetector;
import io.sluice.l7.metrics.ConcurrencyMetrics;
import io.sluice.l7.route.CompiledRoute;
import io.sluice.l7.route.Router;
import io.sluice.l7.proxy.RequestRouter;
import io.sluice.l7.proxy.RoutedRequest;
import io.sluice.l7.ratelimit.RateLimitFilter;
import io.sluice.l7.ratelimit.SharedLimiter;
import io.sluice.l7.upstream.BackendTls;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
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
     *                      that stay keep their outlier ejections and in-flight counts, whose pools that
     *                      stay their queues ({@link #serve()} hands those over), and whose routes' caches
     *                      and rate limits go on where they are the same; or null.
     * @param sharedLimiter the proxy's store for global rate limits, read per decision (null while there is none).
     */
    public ConfiguredRouter(final L7Config config, final ConfiguredRouter previous, final Supplier<SharedLimiter> sharedLimiter)
    {
        this.router = new Router(config.routes(), sharedLimiter);
        for (final Pool pool : config.pools().values())
        {
            pools.put(pool.name(), new PoolBalancer(pool, previous == null ? null : previous.pools.get(pool.name())));
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

    /** {@link #withPools}: this router's routes, filters and pools' TLS, over {@code resolved}'s servers. */
    private ConfiguredRouter(final ConfiguredRouter routes, final L7Config resolved)
    {
        this.router = routes.router;
        this.backendTls.putAll(routes.backendTls);
        for (final Pool pool : resolved.pools().values())
        {
            pools.put(pool.name(), new PoolBalancer(pool, routes.pools.get(pool.name())));
        }
        this.outliers = new OutlierDetector(pools.values(), routes.outliers);
        this.maxBodyLimit = routes.maxBodyLimit;
    }

    /**
     * The same routes over the same configuration's pools with other servers (a DNS answer changed): the routes'
     * filters go on as they are (caches, rate limit counts, fetched keys), nothing is read again, and the servers
     * that stay keep their in-flight counts and ejections, as across a reload. {@link #serve()} it as a reload's.
     */
    public ConfiguredRouter withPools(final L7Config resolved)
    {
        return new ConfiguredRouter(this, resolved);
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

    /**
     * This configuration serves from now on (it is the one requests are routed by): its pools
     * take the requests waiting in the queues they share with the configuration before, under
     * their own limits.
     */
    public void serve()
    {
        pools.values().forEach(PoolBalancer::serve);
    }

    /** Each pool's requests in flight and waiting now, and its servers' in flight, by pool name: the metrics' gauges. */
    public List<ConcurrencyMetrics.PoolLoad> loads()
    {
        return new TreeMap<>(pools).values().stream().map((pool) -> new ConcurrencyMetrics.PoolLoad(pool.name(), pool.inFlight(),
            pool.waiting(), pool.upstreams().stream().map((upstream) -> new ConcurrencyMetrics.ServerLoad(upstream.name(),
                upstream.inFlight())).toList())).toList();
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
        return routeTo(route, request, client);
    }

    /** One of the route's pools by weight, and a server of it; 503 when none is up. */
    private RoutedRequest routeTo(final CompiledRoute route, final HttpRequest request, final InetSocketAddress client)
    {
        final PoolBalancer pool = pools.get(route.choosePool());
        final Pick pick = pool.pick(request, client);
        if (pick.upstream() == null)
        {
            return new Refused(HttpResponseStatus.SERVICE_UNAVAILABLE.code(), route.name(), pool.name(),
                route.maxBodyBytes(maxBodyLimit));
        }
        return new Routed(route, pool, request, client, pick, request.uri());
    }

    /**
     * A request for a server; {@link #admit} takes its slot there (or queues it), and
     * {@link #finished} ends the slot and reports the server's outcome (or leaves the queue), once.
     */
    private final class Routed implements RoutedRequest, QueueListener
    {
        /** Picks for a retry that may land on the failed server again before another is taken. */
        private static final int RETRY_PICKS = 4;

        private final CompiledRoute route;
        private final PoolBalancer pool;
        private final HttpRequest request;
        private final InetSocketAddress client;
        private final String uri;
        /** The server chosen, then the one that gave it a slot (another with room when the chosen was full). */
        private Pick pick;
        /** It has a slot on {@link #pick}'s server, to end once. */
        private boolean holdsSlot;
        /** While it waits in the pool's queue; null else. */
        private QueuedRequest queued;
        /** Hears how the wait ends, while it waits. */
        private Waiting waiting;
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

        @Override
        public RoutedRequest routeAgain(final Identity identity)
        {
            final CompiledRoute next = router.routeAgain(request, identity, route);
            if (next == null)
            {
                return null;
            }
            finished(0); // it held no slot yet: nothing of this server to report
            return routeTo(next, request, client);
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
                    return new Routed(route, pool, request, client, next, uri);
                }
            }
            return null;
        }

        @Override
        public Admission admit(final Waiting waiting, final EventExecutor executor)
        {
            final Pick taken = pool.begin(pick, request, client);
            if (taken != null)
            {
                pick = taken;
                holdsSlot = true;
                return Admission.ADMITTED;
            }
            final QueuedRequest waiter = pool.enqueue(pick, request, client, this, executor);
            return switch (waiter.outcome())
            {
                case ADMITTED ->
                {
                    pick = waiter.admitted();
                    holdsSlot = true;
                    yield Admission.ADMITTED;
                }
                case WAITING ->
                {
                    this.waiting = waiting;
                    queued = waiter;
                    yield Admission.QUEUED;
                }
                default -> Admission.QUEUE_FULL;
            };
        }

        @Override
        public void admitted(final Pick admitted)
        {
            queued = null;
            pick = admitted;
            holdsSlot = true;
            waiting.admitted();
        }

        @Override
        public void queueTimedOut()
        {
            queued = null;
            waiting.waitedTooLong();
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
            if (finished)
            {
                return;
            }
            finished = true;
            if (holdsSlot)
            {
                pool.end(pick.upstream());
                outliers.outcome(pick.upstream(), status); // a server never asked has no outcome to report
            }
            else if (queued != null)
            {
                pool.leave(queued);
                queued = null;
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
