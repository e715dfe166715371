package io.sluice.l7.filter;

import io.netty.handler.codec.http.HttpResponse;

/**
 * A step a backend's response goes through on its way to the client: it may change the head's
 * headers and, by returning a {@link BodyTransformer}, the body chunk by chunk as it streams. It
 * sees every final response a backend sends for its route (a 101 too, whose body is not HTTP:
 * check the status before transforming), not the proxy's own answers nor a request filter's.
 * One instance serves every response of its route on every event loop: per-response state
 * (an encoder, a copy being cached) lives in the transformer it returns.
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
}
