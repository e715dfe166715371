package io.sluice.l7.cache;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.sluice.l7.filter.BackgroundReceiver;
import io.sluice.l7.filter.BodyTransformer;

/**
 * The background request that refreshes a stale response served under stale-while-revalidate:
 * it leads the key's {@link Fill} (so one refresh at a time per key, and requests that may not
 * take the stale copy wait for it), and its response goes to the cache
 * ({@link ResponseCache#refreshed}), never to a client.
 *
 * @param request the refresh's own request head (its Vary values are the client's).
 */
record Refresh(ResponseCache cache, String primaryKey, Fill fill, HttpHeaders request) implements BackgroundReceiver
{
    @Override
    public BodyTransformer onResponse(final HttpResponse response)
    {
        return cache.refreshed(primaryKey, fill, request, response);
    }

    @Override
    public void failed(final String reason)
    {
        cache.refreshFailed(primaryKey, fill);
    }
}
