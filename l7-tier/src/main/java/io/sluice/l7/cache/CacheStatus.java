package io.sluice.l7.cache;

import io.netty.util.AsciiString;

/**
 * The Cache-Status response field (RFC 9211) this cache writes on every response of its route:
 * {@code sluice; hit}, or {@code sluice; fwd=miss; fwd-status=200; stored; ttl=300}, or why it
 * was not stored ({@code detail=private}).
 */
final class CacheStatus
{
    static final AsciiString NAME = AsciiString.cached("cache-status");
    private static final String CACHE = "sluice";

    private CacheStatus()
    {
    }

    /** A response served from the cache; {@code detail} may be null. */
    static String hit(final long ttlMs, final String detail)
    {
        final StringBuilder status = new StringBuilder(CACHE).append("; hit; ttl=").append(Math.floorDiv(ttlMs, 1000));
        return detail == null ? status.toString() : status.append("; detail=").append(detail).toString();
    }

    /** A stale stored response served because the backend failed (stale-if-error). */
    static String staleOnError(final long ttlMs, final int backendStatus)
    {
        return CACHE + "; hit; fwd=stale; fwd-status=" + backendStatus + "; ttl=" + Math.floorDiv(ttlMs, 1000)
            + "; detail=stale-if-error";
    }

    /** The stored response, refreshed by the backend's 304. */
    static String revalidated(final long ttlMs)
    {
        return CACHE + "; fwd=stale; fwd-status=304; stored; ttl=" + Math.floorDiv(ttlMs, 1000);
    }

    /** Forwarded and being stored. */
    static String stored(final String forward, final int backendStatus, final long ttlMs)
    {
        return CACHE + "; fwd=" + forward + "; fwd-status=" + backendStatus + "; stored; ttl=" + Math.floorDiv(ttlMs, 1000);
    }

    /** Forwarded, not stored, and why (null: no reason worth a word, e.g. a HEAD). */
    static String forwarded(final String forward, final int backendStatus, final String detail)
    {
        final StringBuilder status = new StringBuilder(CACHE).append("; fwd=").append(forward)
            .append("; fwd-status=").append(backendStatus);
        return detail == null ? status.toString() : status.append("; detail=").append(detail).toString();
    }
}
