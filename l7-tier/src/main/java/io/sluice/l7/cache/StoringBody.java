package io.sluice.l7.cache;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.sluice.l7.filter.BodyTransformer;

/**
 * A response body streaming to the client that is copied, chunk by chunk as it passes, into
 * memory of the cache's own (unpooled heap buffers, outside the request path's pooled allocator),
 * and stored when it ends whole. Each byte is copied once: into one buffer of the announced
 * Content-Length, or, for a body of unknown length, into a copy per chunk joined as a composite
 * (so no buffer is grown and copied again). Never held back: each chunk goes on at once. The copy
 * stops, and nothing is stored, when the body grows past max_object or ends at another length
 * than its Content-Length said, or breaks off. The head's representation fields are taken when
 * the first part comes ({@link PendingStore#settle}): a compressor before it may have held the head.
 */
final class StoringBody implements BodyTransformer
{
    private final PendingStore pending;
    private final long maxObjectBytes;
    private final long contentLength;
    private ByteBuf copy;
    private boolean settled;

    /** @param contentLength what Content-Length says, or -1 (chunked, or until the connection closes). */
    StoringBody(final PendingStore pending, final long maxObjectBytes, final long contentLength)
    {
        this.pending = pending;
        this.maxObjectBytes = maxObjectBytes;
        this.contentLength = contentLength;
        this.copy = contentLength >= 0 ? Unpooled.buffer((int)contentLength, (int)maxObjectBytes)
            : Unpooled.compositeBuffer(Integer.MAX_VALUE); // never consolidated: that would copy again
    }

    @Override
    public HttpContent transform(final HttpContent content)
    {
        if (!settled)
        {
            settled = true;
            pending.settle();
        }
        if (copy != null)
        {
            final ByteBuf bytes = content.content();
            if (copy.readableBytes() + (long)bytes.readableBytes() > maxObjectBytes)
            {
                giveUp();
            }
            else if (copy instanceof CompositeByteBuf chunks)
            {
                if (bytes.isReadable())
                {
                    chunks.addComponent(true, Unpooled.copiedBuffer(bytes));
                }
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
