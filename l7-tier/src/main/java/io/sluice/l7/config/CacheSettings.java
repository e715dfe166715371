package io.sluice.l7.config;

import java.time.Duration;
import java.util.List;

/**
 * A route's {@code cache:}: a shared HTTP cache (RFC 9111) in memory in front of its pools.
 *
 * @param sizeBytes          the bytes the route's stored responses may take together ({@code size}).
 * @param maxObjectBytes     the largest body stored ({@code max_object}); a longer one streams past, not stored.
 * @param defaultTtl         freshness for a response that gives none ({@code default_ttl}); zero: such a response is
 *                           stored only when it has a validator, and then revalidated before each use.
 * @param normaliseQuery     whether the key sorts the query's parameters ({@code key.query: normalised}) or keeps it
 *                           as the client wrote it ({@code as-is}, the default).
 * @param keyHeaders         request headers whose values are part of every key ({@code key.headers}), lower case.
 * @param storeSetCookie     whether a response with Set-Cookie may be stored ({@code store_set_cookie}; default not:
 *                           one client's cookie would go to every client).
 * @param coalesceTimeout    how long requests for a key being fetched wait for that response ({@code coalesce_timeout})
 *                           before they go to the backend themselves.
 */
public record CacheSettings(long sizeBytes, long maxObjectBytes, Duration defaultTtl, boolean normaliseQuery,
    List<String> keyHeaders, boolean storeSetCookie, Duration coalesceTimeout)
{
    public static final CacheSettings DEFAULTS = new CacheSettings(256 * Sizes.MIB, 8 * Sizes.MIB, Duration.ZERO, false,
        List.of(), false, Duration.ofSeconds(5));

    public CacheSettings
    {
        keyHeaders = List.copyOf(keyHeaders);
    }
}
