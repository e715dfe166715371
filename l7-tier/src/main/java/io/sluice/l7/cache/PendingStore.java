package io.sluice.l7.cache;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.List;
import java.util.Set;

/**
 * A response on its way to being stored: everything about it taken from its head (and its
 * request's head) when it arrived, waiting for its body ({@link StoringBody}).
 *
 * @param fill the fill it completes (its waiters are answered from it), or null when its request led none.
 */
record PendingStore(ResponseCache cache, String primaryKey, HttpResponseStatus status, HttpHeaders headers,
    List<String> varyNames, List<String> varyValues, Set<String> tags, long requestTimeMs, Fill fill)
{
    /** The whole body arrived: the cache takes it (and this buffer). */
    void store(final ByteBuf body)
    {
        cache.store(this, body);
    }

    /** The body will not be stored (too long, a length that lied, broken off). */
    void notStored()
    {
        cache.notStored(this);
    }
}
