package io.sluice.l7.filter.compress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.l7.config.ContentCoding;

/**
 * One response body's encoder, a single coded stream across all of its chunks (so the window
 * carries from one chunk to the next). Every call's output is flushed: what the backend sent
 * so far can be decoded by the client now, which a streamed response needs and which keeps the
 * encoder from holding input back while the client waits.
 */
interface Compressor
{
    /**
     * @param input the body bytes (read, not released; may be empty).
     * @param end   whether this is the body's end: the stream is finished (and its trailer written).
     * @return the coded bytes for them, from {@code alloc}; the caller owns it.
     */
    ByteBuf compress(ByteBuf input, boolean end, ByteBufAllocator alloc);

    /** Frees the encoder's native memory; called once, at whatever end the response came to. */
    void close();

    static Compressor open(final ContentCoding coding, final int level)
    {
        return switch (coding)
        {
            case GZIP -> new GzipCompressor(level);
            case BROTLI -> new BrotliCompressor(level);
            case ZSTD -> new ZstdCompressor(level);
        };
    }
}
