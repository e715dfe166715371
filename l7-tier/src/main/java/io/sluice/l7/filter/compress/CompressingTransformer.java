package io.sluice.l7.filter.compress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.sluice.l7.config.ContentCoding;
import io.sluice.l7.filter.BodyTransformer;
import io.sluice.l7.metrics.CompressionMetrics;
import io.sluice.l7.metrics.CompressionSkip;

/**
 * One response's body on its way through a compressor. A body of unknown length is first held
 * (with the head) until {@code holdBytes} have come: one that ends before goes out as it is,
 * with the Content-Length it turned out to have; one that reaches it is compressed from there.
 * Then each chunk is compressed as it comes (a streamed body's flushed at once, a whole body's
 * when the encoder's blocks fill: {@link Compressor}), so what the proxy holds is the encoder's
 * window and buffers, and the client's pace still paces the backend. The encoder is closed at
 * the body's end, or when the response breaks off ({@link #abandon}).
 */
final class CompressingTransformer implements BodyTransformer
{
    private final HttpResponse head;
    private final ContentCoding coding;
    private final int level;
    private final int holdBytes;
    /** A streamed body (no length, or events): each chunk's output is flushed as it comes. */
    private final boolean streamed;
    private final CompressionMetrics metrics;
    private final CompressionMetrics.Route counters;
    /** The body so far while it is held; null once decided. */
    private CompositeByteBuf held;
    /** Open from the decision to compress until the end. */
    private Compressor compressor;

    /**
     * @param holdBytes how much of the body to see before deciding; 0 when its length is known (decided already).
     * @param streamed  whether the body is a stream (of unknown length, or events) whose every chunk is flushed.
     */
    CompressingTransformer(final HttpResponse head, final ContentCoding coding, final int level, final int holdBytes,
        final boolean streamed, final CompressionMetrics metrics, final CompressionMetrics.Route counters)
    {
        this.head = head;
        this.coding = coding;
        this.level = level;
        this.holdBytes = holdBytes;
        this.streamed = streamed;
        this.metrics = metrics;
        this.counters = counters;
        if (holdBytes == 0)
        {
            startCompressing();
        }
        else
        {
            held = ByteBufAllocator.DEFAULT.compositeBuffer(); // past 16 parts it joins them: many tiny chunks stay one buffer
        }
    }

    @Override
    public boolean holdsHead()
    {
        return held != null;
    }

    @Override
    public HttpContent transform(final HttpContent content)
    {
        final boolean last = content instanceof LastHttpContent;
        final HttpHeaders trailers = last ? ((LastHttpContent)content).trailingHeaders() : null;
        if (held != null)
        {
            held.addComponent(true, content.content().retain());
            content.release();
            if (held.readableBytes() < holdBytes)
            {
                return last ? asItIs(trailers) : null;
            }
            startCompressing();
            final ByteBuf body = held;
            held = null;
            return compress(body, last, trailers);
        }
        return compress(content.content(), last, trailers);
    }

    /** The whole body came, shorter than the minimum: it goes as the backend sent it, now with its length. */
    private HttpContent asItIs(final HttpHeaders trailers)
    {
        counters.skipped(CompressionSkip.TOO_SMALL);
        if (trailers.isEmpty())
        {
            HttpUtil.setTransferEncodingChunked(head, false);
            HttpUtil.setContentLength(head, held.readableBytes());
        }
        final LastHttpContent whole = new DefaultLastHttpContent(held, trailers);
        held = null;
        return whole;
    }

    private void startCompressing()
    {
        compressor = Compressor.open(coding, level, streamed);
        metrics.encoderOpened();
        counters.compressing(coding);
        CompressedHead.compressed(head, coding);
    }

    /** @param body released here, whatever happens. */
    private HttpContent compress(final ByteBuf body, final boolean last, final HttpHeaders trailers)
    {
        final ByteBuf coded;
        final int in = body.readableBytes();
        try
        {
            coded = compressor.compress(body, last, ByteBufAllocator.DEFAULT);
        }
        catch (final RuntimeException ex)
        {
            closeCompressor();
            throw ex;
        }
        finally
        {
            body.release();
        }
        counters.bytes(coding, in, coded.readableBytes());
        if (last)
        {
            closeCompressor();
            return new DefaultLastHttpContent(coded, trailers);
        }
        if (!coded.isReadable())
        {
            coded.release();
            return null;
        }
        return new DefaultHttpContent(coded);
    }

    @Override
    public void abandon()
    {
        if (held != null)
        {
            held.release();
            held = null;
        }
        closeCompressor();
    }

    private void closeCompressor()
    {
        if (compressor != null)
        {
            compressor.close();
            compressor = null;
            metrics.encoderClosed();
        }
    }
}
