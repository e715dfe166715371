package io.sluice.l7.filter.compress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.l7.config.ContentCoding;

/**
 * One response body's encoder, a single coded stream across all of its chunks (so the window
 * carries from one chunk to the next). A streamed body's every call is flushed: what the backend
 * sent so far can be decoded by the client now, which a stream (events, a long poll) needs. A
 * whole body's (its length known) are not: the encoder gives out what its own buffers fill and
 * the rest at the end, as nginx's gzip does for a buffered response, so it codes in larger
 * blocks and the client connection writes one chunk or two instead of one per piece the backend
 * decoder hands on. Either way the encoder holds no more than its window and buffers, bounded
 * whatever the body's length, and the client's pace still paces the backend.
 */
interface Compressor
{
    /**
     * @param input the body bytes (read, not released; may be empty).
     * @param end   whether this is the body's end: the stream is finished (and its trailer written).
     * @return the coded bytes for them, from {@code alloc}; the caller owns it.
     */
    ByteBuf compress(ByteBuf input, boolean end, ByteBufAllocator alloc);

    /**
     * Done with the encoder, at whatever end the response came to: its native memory is freed, or
     * kept for the thread's next response of the coding; called once.
     */
    void close();

    /** @param flushEachCall whether each call's output is flushed (a streamed body) or only the end's (a whole one). */
    static Compressor open(final ContentCoding coding, final int level, final boolean flushEachCall)
    {
        return switch (coding)
        {
            case GZIP -> new GzipCompressor(level, flushEachCall);
            case BROTLI -> new BrotliCompressor(level, flushEachCall);
            case ZSTD -> new ZstdCompressor(level, flushEachCall);
        };
    }
}
