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
    /** The detail of a stale response served at once while a background request refreshes it. */
    static final String WHILE_REVALIDATING = "stale-while-revalidate";
    /** What a request with only-if-cached gets when nothing stored will do: not forwarded, and no hit. */
    static final String ONLY_IF_CACHED = "sluice; detail=only-if-cached";
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

    /**
     * A stale stored response served because the backend failed (stale-if-error). Not a hit (RFC
     * 9211 2.1: a hit was not forwarded); fwd-status is what the backend answered, or with no
     * answer (refused, reset, timed out) the status the proxy would have sent.
     */
    static String staleOnError(final long ttlMs, final int failureStatus)
    {
        return CACHE + "; fwd=stale; fwd-status=" + failureStatus + "; ttl=" + Math.floorDiv(ttlMs, 1000)
            + "; detail=stale-if-error";
    }

    /**
     * The proxy's own 5xx, with nothing stored to serve instead: why the request went forward,
     * the backend's status when it answered one, else what went wrong (no backend answer came).
     */
    static String proxyAnswer(final String forward, final int backendStatus, final int answerStatus)
    {
        final StringBuilder status = new StringBuilder(CACHE).append("; fwd=").append(forward);
        if (backendStatus > 0)
        {
            return status.append("; fwd-status=").append(backendStatus).toString();
        }
        return status.append("; detail=").append(switch (answerStatus)
        {
            case 503 -> "no-server";
            case 504 -> "backend-timeout";
            default -> "backend-failed";
        }).toString();
    }

    /** The stored response, refreshed by the backend's 304; {@code forward}: stale, or request (the client's no-cache). */
    static String revalidated(final String forward, final long ttlMs)
    {
        return CACHE + "; fwd=" + forward + "; fwd-status=304; stored; ttl=" + Math.floorDiv(ttlMs, 1000);
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
