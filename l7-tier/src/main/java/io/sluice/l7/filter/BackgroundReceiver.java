package io.sluice.l7.filter;

import io.netty.handler.codec.http.HttpResponse;

/**
 * Where the response to a filter's own background request ({@link FilterContext#background})
 * goes: no client waits for it, so nothing of it is written anywhere; the receiver takes what it
 * needs (a cache, the refreshed response). Called on the exchange's event loop.
 */
public interface BackgroundReceiver
{
    /**
     * The response head, after the route's response filters that come before the requesting one
     * changed it as they would a client's response (a compressor, its coding).
     *
     * @return a transformer that sees the body as those filters made it (what it returns is dropped),
     *         or null to drop the body.
     */
    BodyTransformer onResponse(HttpResponse response);

    /** No response came (no connection, the connection closed or reset first, no answer in time). */
    void failed(String reason);
}
