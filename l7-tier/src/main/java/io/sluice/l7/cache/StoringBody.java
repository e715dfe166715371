package io.sluice.l7.cache;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.sluice.l7.filter.BodyTransformer;

/**
 * A response body streaming to the client that is copied, chunk by chunk as it passes, into a
 * buffer of the cache's own (unpooled heap memory, outside the request path's pooled allocator),
 * and stored when it ends whole. Never held back: each chunk goes on at once. The copy stops, and
 * nothing is stored, when the body grows past max_object or ends at another length than its
 * Content-Length said, or breaks off.
 */
final class StoringBody implements BodyTransformer
{
    /** A first capacity for a body of unknown length; it grows by doubling up to max_object. */
    private static final int UNKNOWN_LENGTH_START = 8192;

    private final PendingStore pending;
    private final long maxObjectBytes;
    private final long contentLength;
    private ByteBuf copy;

    /** @param contentLength what Content-Length says, or -1 (chunked, or until the connection closes). */
    StoringBody(final PendingStore pending, final long maxObjectBytes, final long contentLength)
    {
        this.pending = pending;
        this.maxObjectBytes = maxObjectBytes;
        this.contentLength = contentLength;
        final int initial = (int)(contentLength >= 0 ? contentLength : Math.min(UNKNOWN_LENGTH_START, maxObjectBytes));
        this.copy = Unpooled.buffer(initial, (int)maxObjectBytes);
    }

    @Override
    public HttpContent transform(final HttpContent content)
    {
        if (copy != null)
        {
            final ByteBuf bytes = content.content();
            if (copy.readableBytes() + (long)bytes.readableBytes() > maxObjectBytes)
            {
                giveUp();
            }
            else
            {
                copy.writeBytes(bytes, bytes.readerIndex(), bytes.readableBytes());
            }
        }
        if (content instanceof LastHttpContent && copy != null)
        {
            if (contentLength >= 0 && copy.readableBytes() != contentLength)
            {
                giveUp();
            }
            else
            {
                final ByteBuf body = copy;
                copy = null;
                pending.store(body);
            }
        }
        return content;
    }

    @Override
    public void abandon()
    {
        if (copy != null)
        {
            giveUp();
        }
    }

    private void giveUp()
    {
        copy.release();
        copy = null;
        pending.notStored();
    }
}
