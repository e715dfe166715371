package io.sluice.l7.cache;

import io.sluice.l7.filter.FilterContext;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/**
 * One backend request for a key, made by its leader's exchange, with the requests for the same
 * key that wait for its response (request coalescing). Completed once: with the stored
 * response for the waiters, or with none, which sends them to the backend.
 */
final class Fill
{
    private final FilterContext leader;
    private final long startedMs;
    /**
     * The stale stored response this fill replaces, or null: the request carries its validators
     * (when it has any), and it may stand in for a failing backend (stale-if-error).
     */
    private final StoredResponse stale;
    private List<Waiter> waiters = new ArrayList<>();
    /** Removes the fill from the cache's map if it never completes (its leader's exchange ended without a response). */
    private Future<?> expiry;

    Fill(final FilterContext leader, final long startedMs, final StoredResponse stale)
    {
        this.leader = leader;
        this.startedMs = startedMs;
        this.stale = stale;
    }

    boolean ledBy(final FilterContext context)
    {
        return leader == context;
    }

    long startedMs()
    {
        return startedMs;
    }

    StoredResponse stale()
    {
        return stale;
    }

    /** False when the fill completed already: the waiter must look elsewhere. */
    synchronized boolean add(final Waiter waiter)
    {
        if (waiters == null)
        {
            return false;
        }
        waiters.add(waiter);
        return true;
    }

    synchronized void expiry(final Future<?> expiry)
    {
        this.expiry = expiry;
    }

    /** The waiters, once; later calls (and adds) see none. The expiry is no longer needed. */
    synchronized List<Waiter> complete()
    {
        if (expiry != null)
        {
            expiry.cancel(false);
        }
        final List<Waiter> waiting = waiters == null ? List.of() : waiters;
        waiters = null;
        return waiting;
    }
}
