package io.sluice.l7.metrics;

import io.sluice.l7.cache.CacheStats;

import java.util.List;
import java.util.function.ToLongFunction;

/** The route caches' figures as Prometheus families ({@code sluice_l7_cache_*{route}}), one sample per cached route. */
final class CacheMetrics
{
    private static final String PREFIX = "sluice_l7_cache_";

    /** One family: its name after the prefix, its type, its help and its value. */
    private record Family(String name, String type, String help, ToLongFunction<CacheStats> value)
    {
    }

    private static final List<Family> FAMILIES = List.of(
        new Family("hits_total", "counter", "Requests answered from the cache (fresh, or coalesced onto another's response).",
            CacheStats::hits),
        new Family("misses_total", "counter", "Cacheable requests sent to the backend.", CacheStats::misses),
        new Family("stale_served_total", "counter", "Stale responses served (stale-while-revalidate, stale-if-error).",
            CacheStats::staleServed),
        new Family("revalidated_total", "counter", "Stored responses a backend's 304 refreshed.", CacheStats::revalidated),
        new Family("background_refreshes_total", "counter",
            "Stale-while-revalidate refreshes sent to the backend in the background.", CacheStats::backgroundRefreshes),
        new Family("refresh_failures_total", "counter",
            "Background refreshes that got no response (the stale copy stayed).", CacheStats::refreshFailures),
        new Family("coalesced_waits_total", "counter",
            "Requests that waited for another request's backend response for their key.", CacheStats::coalescedWaits),
        new Family("coalesce_timeouts_total", "counter", "Waiting requests that went to the backend after coalesce_timeout.",
            CacheStats::coalesceTimeouts),
        new Family("bypassed_total", "counter",
            "Responses to requests the cache does not handle (other methods, no-store, upgrades).", CacheStats::bypassed),
        new Family("stored_total", "counter", "Responses stored.", CacheStats::stored),
        new Family("evictions_total", "counter", "Stored responses evicted for room.", CacheStats::evictions),
        new Family("malformed_cache_control_total", "counter",
            "Responses not stored for a Cache-Control that is not the field's grammar.", CacheStats::malformedCacheControl),
        new Family("bodies_not_stored_total", "counter",
            "Bodies not stored after all: past max_object, a Content-Length that lied, or broken off.",
            CacheStats::notStoredBodies),
        new Family("responses", "gauge", "Responses stored now (each variant counts).", CacheStats::responses),
        new Family("bytes", "gauge", "Body bytes stored now.", CacheStats::bytes));

    private CacheMetrics()
    {
    }

    static void write(final StringBuilder out, final List<CacheStats> caches)
    {
        if (caches.isEmpty())
        {
            return;
        }
        for (final Family family : FAMILIES)
        {
            PrometheusText.family(out, PREFIX + family.name(), family.type(), family.help());
            for (final CacheStats stats : caches)
            {
                final StringBuilder labels = PrometheusText.label(new StringBuilder(), "route", stats.route());
                PrometheusText.sample(out, PREFIX + family.name(), labels, family.value().applyAsLong(stats));
            }
        }
    }
}
