package io.sluice.l7.metrics;

import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Authentication per route: requests accepted, refused by {@link AuthRefusal}, the JWKS
 * fetches and keys of a route that fetches its keys, and the hits, misses and evictions of a JWT
 * route's cache of verified tokens. Counting allocates nothing once a route's
 * series exists; series are never removed, and a reload's new fetcher goes on from the old one's
 * totals, so the counters only grow.
 */
public final class AuthMetrics
{
    private static final String PREFIX = "sluice_l7_auth_";
    private static final AuthRefusal[] REASONS = AuthRefusal.values();

    private final ConcurrentHashMap<String, Route> routes = new ConcurrentHashMap<>();

    /** One route's counters. */
    public static final class Route
    {
        private final String labels;
        private final LongAdder accepted = new LongAdder();
        private final LongAdder[] refused = L7Metrics.newAdders(REASONS.length);
        private final LongAdder cacheHits = new LongAdder();
        private final LongAdder cacheMisses = new LongAdder();
        private final LongAdder cacheEvictions = new LongAdder();
        private volatile JwksStats jwks;
        /** The fetches and failures of the fetchers this route had before {@link #jwks}. */
        private long fetchesBefore;
        private long failuresBefore;

        private Route(final String route)
        {
            labels = PrometheusText.label(new StringBuilder(), "route", route).toString();
        }

        public void accepted()
        {
            accepted.increment();
        }

        public void refused(final AuthRefusal reason)
        {
            refused[reason.ordinal()].increment();
        }

        /** A token was found verified already: no signature check. */
        public void jwtCacheHit()
        {
            cacheHits.increment();
        }

        /** A token was not found verified (new, expired, or its key set changed): its signature is checked. */
        public void jwtCacheMissed()
        {
            cacheMisses.increment();
        }

        /** A verified token was dropped to keep the cache within its {@code max_tokens}. */
        public void jwtCacheEvicted()
        {
            cacheEvictions.increment();
        }

        public long jwtCacheHits()
        {
            return cacheHits.sum();
        }

        public long jwtCacheMisses()
        {
            return cacheMisses.sum();
        }

        public long jwtCacheEvictions()
        {
            return cacheEvictions.sum();
        }

        private boolean caches()
        {
            return cacheHits.sum() + cacheMisses.sum() > 0;
        }

        public long acceptedCount()
        {
            return accepted.sum();
        }

        public long refusedCount(final AuthRefusal reason)
        {
            return refused[reason.ordinal()].sum();
        }

        /** The route's JWKS fetcher (a reload makes a new one): a volatile read when it is the same as before. */
        public void jwks(final JwksStats stats)
        {
            if (jwks != stats)
            {
                replaceJwks(stats);
            }
        }

        private synchronized void replaceJwks(final JwksStats stats)
        {
            final JwksStats before = jwks;
            if (before != stats)
            {
                if (before != null)
                {
                    fetchesBefore += before.fetches();
                    failuresBefore += before.failures();
                }
                jwks = stats;
            }
        }

        public synchronized long jwksFetches()
        {
            return fetchesBefore + (jwks == null ? 0 : jwks.fetches());
        }

        public synchronized long jwksFailures()
        {
            return failuresBefore + (jwks == null ? 0 : jwks.failures());
        }

        public int keysKnown()
        {
            final JwksStats stats = jwks;
            return stats == null ? 0 : stats.keysKnown();
        }

        private boolean fetches()
        {
            return jwks != null;
        }
    }

    /** The route's counters, made the first time it is named. */
    public Route route(final String route)
    {
        final Route series = routes.get(route);
        return series != null ? series : routes.computeIfAbsent(route, Route::new);
    }

    void writePrometheus(final StringBuilder out)
    {
        final TreeMap<String, Route> sorted = new TreeMap<>(routes);
        PrometheusText.family(out, PREFIX + "accepted_total", "counter", "Requests whose credential a route accepted.");
        for (final Route route : sorted.values())
        {
            PrometheusText.sample(out, PREFIX + "accepted_total", route.labels, route.acceptedCount());
        }
        PrometheusText.family(out, PREFIX + "refused_total", "counter", "Requests a route's authentication refused, by reason.");
        for (final Route route : sorted.values())
        {
            for (final AuthRefusal reason : REASONS)
            {
                PrometheusText.sample(out, PREFIX + "refused_total",
                    PrometheusText.label(new StringBuilder(route.labels), "reason", reason.label()), route.refusedCount(reason));
            }
        }
        writeFor(out, sorted, "jwks_fetches_total", "counter", "Fetches of a route's JWKS URL.", Route::jwksFetches,
            Route::fetches);
        writeFor(out, sorted, "jwks_failures_total", "counter",
            "Fetches of a route's JWKS URL that gave no keys (the last good keys kept).", Route::jwksFailures, Route::fetches);
        writeFor(out, sorted, "jwks_keys", "gauge", "Keys a route that fetches a JWKS checks signatures with now.",
            Route::keysKnown, Route::fetches);
        writeFor(out, sorted, "jwt_cache_hits_total", "counter", "Requests whose token a route had verified already.",
            Route::jwtCacheHits, Route::caches);
        writeFor(out, sorted, "jwt_cache_misses_total", "counter", "Requests whose token's signature a route checked.",
            Route::jwtCacheMisses, Route::caches);
        writeFor(out, sorted, "jwt_cache_evictions_total", "counter",
            "Verified tokens dropped to stay within a route's cache.max_tokens.", Route::jwtCacheEvictions, Route::caches);
    }

    /** A family with a sample for each route {@code which} takes: those that fetch their keys, or use a token cache. */
    private static void writeFor(final StringBuilder out, final TreeMap<String, Route> routes, final String name,
        final String type, final String help, final ToLongFunction<Route> value, final Predicate<Route> which)
    {
        PrometheusText.family(out, PREFIX + name, type, help);
        for (final Route route : routes.values())
        {
            if (which.test(route))
            {
                PrometheusText.sample(out, PREFIX + name, route.labels, value.applyAsLong(route));
            }
        }
    }
}
