package io.sluice.l7.cache;

/**
 * One route's cache in figures, read at one moment (the metrics endpoint's scrape).
 *
 * @param staleServed        stale responses served (stale-while-revalidate, stale-if-error).
 * @param revalidated        stored responses a backend's 304 refreshed.
 * @param backgroundRefreshes stale-while-revalidate refreshes sent in the background (one per stale key at a time).
 * @param refreshFailures    of those, the ones that got no response (the stale copy stayed).
 * @param coalescedWaits     requests that waited for another's backend request for their key.
 * @param coalesceTimeouts   of those, the ones that went to the backend after coalesce_timeout.
 * @param malformedCacheControl responses not stored for a Cache-Control that is not the field's grammar.
 * @param notStoredBodies    bodies that could not be stored after all (past max_object, a Content-Length that lied, broken off).
 * @param responses          responses stored now (each variant counts).
 * @param bytes              their bodies' bytes.
 */
public record CacheStats(String route, long hits, long misses, long staleServed, long revalidated, long backgroundRefreshes,
    long refreshFailures, long coalescedWaits, long coalesceTimeouts, long bypassed, long stored, long evictions,
    long malformedCacheControl, long notStoredBodies, long responses, long bytes)
{
}
