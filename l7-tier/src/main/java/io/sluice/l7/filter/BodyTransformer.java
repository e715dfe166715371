package io.sluice.l7.filter;

import io.netty.handler.codec.http.HttpContent;

/**
 * One response body in the making, chunk by chunk, from a {@link ResponseFilter}: a compressor,
 * a cache copying what passes. Backpressure stays the proxy's: each chunk it returns is written
 * to the client, and the backend is read only while the client takes what is written, so a
 * transformer holds no more than it chooses to (a compressor, its window; one that must see a
 * minimum before it decides, that minimum).
 */
public interface BodyTransformer
{
    /**
     * Takes {@code content} (the transformer owns it now: it passes it on or releases it) and gives
     * what goes to the client in its place: the same content, another, or null when nothing is
     * ready yet. For the last content ({@code LastHttpContent}) it returns a {@code LastHttpContent},
     * which ends the response.
     */
    HttpContent transform(HttpContent content);

    /** The response ends before its body did (the client or the backend went): release whatever is held. */
    void abandon();

    /**
     * Whether the response head waits for this transformer's first output instead of going to the
     * client at once, so that the transformer may still change its headers once it has seen some
     * of the body (a compressor deciding at its minimum size whether to compress at all). The head
     * is the one {@link ResponseFilter#onResponse} was given.
     */
    default boolean holdsHead()
    {
        return false;
    }
}
