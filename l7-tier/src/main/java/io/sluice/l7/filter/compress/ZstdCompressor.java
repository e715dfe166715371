package io.sluice.l7.filter.compress;

import com.github.luben.zstd.EndDirective;
import com.github.luben.zstd.ZstdCompressCtx;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.l7.config.ContentCoding;

import java.nio.ByteBuffer;

/**
 * Zstandard over zstd-jni's streaming context: one frame for the whole body (Netty's
 * {@code ZstdEncoder} makes a frame per chunk, each starting without the window of the ones
 * before), a streamed body's each chunk ended with a flush, the last with the frame's end. The
 * context is this thread's idle one when it has one ({@link IdleEncoders}): zstd keeps its
 * tables and buffers across a reset, which its own manual advises for small inputs.
 */
final class ZstdCompressor implements Compressor
{
    private static final int MIN_ROOM = 512;
    private static final ByteBuffer NO_INPUT = ByteBuffer.allocateDirect(0);

    /** A few MiB each (the window's buffer and the match tables at level 3): two per level a thread uses. */
    private static final IdleEncoders<ZstdCompressCtx> IDLE = new IdleEncoders<>(ContentCoding.ZSTD.maxLevel(), 2,
        ZstdCompressCtx::close);

    private final int level;
    private final boolean flushEachCall;
    private final ZstdCompressCtx context;
    /** A call failed part way: the context is closed rather than kept. */
    private boolean broken;

    ZstdCompressor(final int level, final boolean flushEachCall)
    {
        this.level = level;
        this.flushEachCall = flushEachCall;
        final ZstdCompressCtx idle = IDLE.take(level);
        context = idle != null ? idle : new ZstdCompressCtx().setLevel(level);
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
            broken = true;
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
        if (broken)
        {
            context.close();
        }
        else
        {
            context.reset(); // the session and its parameters: a frame cut short is dropped, the level set again
            IDLE.giveBack(level, context.setLevel(level));
        }
    }
}
