package io.sluice.l7.filter.compress;

import com.aayushatharva.brotli4j.encoder.Encoder;
import com.aayushatharva.brotli4j.encoder.EncoderJNI;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Brotli over brotli4j's streaming encoder (the JNI wrapper that its own channel and Netty's
 * {@code BrotliEncoder} drive): input is copied into the encoder's direct input buffer and
 * pushed, then (a streamed body's call) a FLUSH or (at the end) a FINISH is pushed and the
 * output pulled until the encoder has none left.
 */
final class BrotliCompressor implements Compressor
{
    /** The encoder's own input buffer: a larger chunk is pushed in parts. */
    private static final int INPUT_BUFFER_BYTES = 16 * 1024;
    /** A 512 KiB window, as ngx_brotli's default: the encoder's memory per response stays small. */
    private static final int WINDOW_BITS = 19;

    private final EncoderJNI.Wrapper encoder;
    private final boolean flushEachCall;

    BrotliCompressor(final int quality, final boolean flushEachCall)
    {
        this.flushEachCall = flushEachCall;
        try
        {
            encoder = new EncoderJNI.Wrapper(INPUT_BUFFER_BYTES, quality, WINDOW_BITS, Encoder.Mode.GENERIC);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("brotli encoder not made: " + ex.getMessage(), ex);
        }
    }

    @Override
    public ByteBuf compress(final ByteBuf input, final boolean end, final ByteBufAllocator alloc)
    {
        final ByteBuf out = alloc.ioBuffer(Math.max(256, input.readableBytes() / 2));
        try
        {
            final ByteBuffer encoderInput = encoder.getInputBuffer();
            int from = input.readerIndex();
            int left = input.readableBytes();
            while (left > 0)
            {
                final int length = Math.min(left, encoderInput.capacity());
                encoderInput.clear().limit(length);
                input.getBytes(from, encoderInput);
                encoder.push(EncoderJNI.Operation.PROCESS, length);
                drain(EncoderJNI.Operation.PROCESS, out);
                from += length;
                left -= length;
            }
            if (end || flushEachCall)
            {
                final EncoderJNI.Operation closing = end ? EncoderJNI.Operation.FINISH : EncoderJNI.Operation.FLUSH;
                encoder.push(closing, 0);
                drain(closing, out);
            }
            return out;
        }
        catch (final RuntimeException ex)
        {
            out.release();
            throw ex;
        }
    }

    /** Pulls the encoder's output until it has none and has taken all its input. */
    private void drain(final EncoderJNI.Operation operation, final ByteBuf out)
    {
        while (true)
        {
            if (!encoder.isSuccess())
            {
                throw new IllegalStateException("brotli encoding failed");
            }
            if (encoder.hasMoreOutput())
            {
                out.writeBytes(encoder.pull());
            }
            else if (encoder.hasRemainingInput())
            {
                encoder.push(operation, 0);
            }
            else
            {
                return;
            }
        }
    }

    @Override
    public void close()
    {
        encoder.destroy();
    }
}
