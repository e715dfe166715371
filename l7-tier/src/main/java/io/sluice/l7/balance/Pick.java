package io.sluice.l7.balance;

/**
 * What {@link PoolBalancer#pick} chose for a request.
 *
 * @param upstream  where the request goes; null when no server of the pool is healthy (the proxy
 *                  answers 503).
 * @param setCookie for a sticky pool, when the request did not bring a cookie naming this healthy
 *                  server: the value of a {@code Set-Cookie} header to add to the response; else
 *                  null.
 */
public record Pick(Upstream upstream, String setCookie)
{
    /** No healthy server. */
    public static final Pick NONE = new Pick(null, null);
}
