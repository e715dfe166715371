package io.sluice.l7.filter.compress;

import com.github.luben.zstd.EndDirective;
import com.github.luben.zstd.ZstdCompressCtx;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.ByteBuffer;

/**
 * Zstandard over zstd-jni's streaming context: one frame for the whole body (Netty's
 * {@code ZstdEncoder} makes a frame per chunk, each starting without the window of the ones
 * before), a streamed body's each chunk ended with a flush, the last with the frame's end.
 */
final class ZstdCompressor implements Compressor
{
    private static final int MIN_ROOM = 512;
    private static final ByteBuffer NO_INPUT = ByteBuffer.allocateDirect(0);

    private final ZstdCompressCtx context = new ZstdCompressCtx();
    private final boolean flushEachCall;

    ZstdCompressor(final int level, final boolean flushEachCall)
    {
        this.flushEachCall = flushEachCall;
        context.setLevel(level);
    }

    @Override
    public ByteBuf compress(final ByteBuf input, final boolean end, final ByteBufAllocator alloc)
    {
        final ByteBuf out = alloc.ioBuffer(Math.max(MIN_ROOM, input.readableBytes() / 2));
        try
        {
            for (final ByteBuffer chunk : input.nioBuffers())
            {
                while (chunk.hasRemaining())
                {
                    stream(out, chunk, EndDirective.CONTINUE);
                }
            }
            if (end || flushEachCall)
            {
                final EndDirective closing = end ? EndDirective.END : EndDirective.FLUSH;
                boolean done;
                do
                {
                    done = stream(out, NO_INPUT.duplicate(), closing);
                }
                while (!done);
            }
            return out;
        }
        catch (final RuntimeException ex)
        {
            out.release();
            throw ex;
        }
    }

    /** @return whether the context has nothing more to write for {@code directive}. */
    private boolean stream(final ByteBuf out, final ByteBuffer source, final EndDirective directive)
    {
        out.ensureWritable(MIN_ROOM);
        final ByteBuffer target = out.nioBuffer(out.writerIndex(), out.writableBytes());
        final boolean done = context.compressByteBufferStream(target, source, directive);
        out.writerIndex(out.writerIndex() + target.position());
        return done;
    }

    @Override
    public void close()
    {
        context.close();
    }
}
