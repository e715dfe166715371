package io.sluice.l7.cache;

import java.util.concurrent.atomic.LongAdder;

/** What one route's cache did, counted from every event loop (LongAdders: no contended line on a hit). */
final class CacheCounters
{
    final LongAdder hits = new LongAdder();
    final LongAdder misses = new LongAdder();
    /** Stale responses served: while another request revalidated (stale-while-revalidate), or for a failing backend. */
    final LongAdder staleServed = new LongAdder();
    final LongAdder revalidated = new LongAdder();
    /** Stale-while-revalidate refreshes sent in the background, and those that got no response. */
    final LongAdder backgroundRefreshes = new LongAdder();
    final LongAdder refreshFailures = new LongAdder();
    final LongAdder coalescedWaits = new LongAdder();
    final LongAdder coalesceTimeouts = new LongAdder();
    final LongAdder bypassed = new LongAdder();
    final LongAdder stored = new LongAdder();
    final LongAdder evictions = new LongAdder();
    final LongAdder malformedCacheControl = new LongAdder();
    /** Bodies that turned out longer than max_object, or whose length was not what Content-Length said. */
    final LongAdder notStoredBodies = new LongAdder();
}
