package io.sluice.l7.filter;

import io.netty.handler.codec.http.HttpRequest;

/**
 * A step a request head goes through before it goes to a backend: it may change the head (its
 * headers, its target), or answer the request itself (a 403, a 429, a cached response), at once
 * or later. One instance serves every request of its route on every event loop: it keeps no
 * state of a request in its fields, and must not block (a round trip to elsewhere is
 * {@link Outcome#PENDING}). The request's body is not a filter's: it is held (reading paused)
 * while a filter is pending and streams to the backend once the filters let the request go.
 */
@FunctionalInterface
public interface RequestFilter
{
    /** What became of the request in a filter's hands. */
    enum Outcome
    {
        /** Go on: the next filter, or the backend when this was the last. */
        CONTINUE,
        /** The filter called {@link FilterContext#answer}: no other filter and no backend sees the request. */
        ANSWERED,
        /** The filter will call {@link FilterContext#answer} or {@link FilterContext#resume} later, on any thread. */
        PENDING
    }

    /** Called on the exchange's event loop, in the route's order, with the head the filters before it left. */
    Outcome onRequest(HttpRequest request, FilterContext context);
}
