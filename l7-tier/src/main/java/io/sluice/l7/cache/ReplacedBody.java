package io.sluice.l7.cache;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.sluice.l7.filter.BodyTransformer;

/**
 * The body of a backend response the cache answers with a stored one instead (a 304 that
 * revalidated it, a 5xx under stale-if-error): the backend's bytes are dropped, and the stored
 * body goes to the client when the backend's response ends.
 */
final class ReplacedBody implements BodyTransformer
{
    private ByteBuf stored;

    /** @param stored a retained duplicate of the stored body, which this now owns. */
    ReplacedBody(final ByteBuf stored)
    {
        this.stored = stored;
    }

    @Override
    public HttpContent transform(final HttpContent content)
    {
        final boolean last = content instanceof LastHttpContent;
        content.release();
        if (!last)
        {
            return null;
        }
        final ByteBuf body = stored;
        stored = null;
        return new DefaultLastHttpContent(body);
    }

    @Override
    public void abandon()
    {
        if (stored != null)
        {
            stored.release();
            stored = null;
        }
    }
}
