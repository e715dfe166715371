package io.sluice.l7.filter;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;

/**
 * A step a backend's response goes through on its way to the client: it may change the head's
 * headers and, by returning a {@link BodyTransformer}, the body chunk by chunk as it streams. It
 * sees every final response a backend sends for its route (a 101 too, whose body is not HTTP:
 * check the status before transforming), not a request filter's answers. One instance serves
 * every response of its route on every event loop: per-response state (an encoder, a copy being
 * cached) lives in the transformer it returns.
 *
 * <p>An exchange that ends without a backend response also tells its response filters how: with
 * the proxy's own error answer ({@link #onProxyAnswer}, which a filter may replace: a cache's
 * stale copy), or broken off ({@link #onAborted}). Both are called only on a route that has
 * filters, and only on those ends, so the usual exchange pays nothing for them.
 */
@FunctionalInterface
public interface ResponseFilter
{
    /**
     * Called on the exchange's event loop, in the route's order, before the head goes to the client.
     *
     * @return this response's body transformer, or null to let the body pass as it is (the usual case: nothing is allocated).
     */
    BodyTransformer onResponse(HttpResponse response, FilterContext context);

    /**
     * The exchange is about to end with an error answer of the proxy's own instead of a backend's
     * response: a 502 (the backend could not be connected to, closed or reset the connection,
     * answered 502 or 503 and no other server was left to try), a 503 (no server up), a 504 (no
     * answer in time). Called on the exchange's event loop, in the route's order, before the
     * answer goes out; {@link #onResponse} was not called for this exchange's final response.
     *
     * @param answer        what the client is to get (the proxy's answer, or an earlier filter's replacement).
     * @param backendStatus the status the backend answered before the proxy gave up on it (a 502 or 503 it
     *                      sent, with no other server to try), or 0 when no backend answered.
     * @return what goes to the client: {@code answer} (its headers may be edited), or a response of the
     *         filter's own, which then releases {@code answer}.
     */
    default FullHttpResponse onProxyAnswer(final FullHttpResponse answer, final int backendStatus, final FilterContext context)
    {
        return answer;
    }

    /**
     * The exchange broke off without a whole response: the client went, a timeout, a backend that
     * failed after its response began. Called on the exchange's event loop, after the body
     * transformers were abandoned, so that a filter lets go of what it began for the exchange (a
     * cache, the backend request others wait for).
     */
    default void onAborted(final FilterContext context)
    {
    }
}
