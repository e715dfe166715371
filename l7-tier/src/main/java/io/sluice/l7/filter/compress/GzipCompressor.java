package io.sluice.l7.filter.compress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip (RFC 1952) over the JDK's zlib: a raw deflate stream between a fixed ten-byte header and
 * the CRC-32 and length trailer. {@code SYNC_FLUSH} after each chunk, as Netty's
 * {@code JdkZlibEncoder} does, keeps the window across chunks while making each chunk decodable.
 */
final class GzipCompressor implements Compressor
{
    /** Magic, deflate, no flags, no modification time, no extra flags, operating system unknown. */
    private static final byte[] HEADER = {0x1f, (byte)0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte)0xff};
    /** Room the output keeps free before each deflate call: enough that each call makes progress. */
    private static final int MIN_ROOM = 512;

    private final Deflater deflater;
    private final CRC32 crc = new CRC32();
    private long inputBytes;
    private boolean headerWritten;

    GzipCompressor(final int level)
    {
        deflater = new Deflater(level, true);
    }

    @Override
    public ByteBuf compress(final ByteBuf input, final boolean end, final ByteBufAllocator alloc)
    {
        final ByteBuf out = alloc.ioBuffer(Math.max(MIN_ROOM, input.readableBytes() / 2 + HEADER.length));
        try
        {
            if (!headerWritten)
            {
                out.writeBytes(HEADER);
                headerWritten = true;
            }
            inputBytes += input.readableBytes();
            for (final ByteBuffer chunk : input.nioBuffers())
            {
                final int start = chunk.position();
                crc.update(chunk);
                chunk.position(start);
                deflater.setInput(chunk);
                while (!deflater.needsInput())
                {
                    deflate(out, Deflater.NO_FLUSH);
                }
            }
            if (end)
            {
                deflater.finish();
                while (!deflater.finished())
                {
                    deflate(out, Deflater.NO_FLUSH);
                }
                out.writeIntLE((int)crc.getValue());
                out.writeIntLE((int)inputBytes); // ISIZE: the length modulo 2^32
            }
            else
            {
                // A flush may need more room than one call has: it is done when a call leaves room unused.
                boolean roomFilled;
                do
                {
                    roomFilled = deflate(out, Deflater.SYNC_FLUSH);
                }
                while (roomFilled);
            }
            return out;
        }
        catch (final RuntimeException ex)
        {
            out.release();
            throw ex;
        }
    }

    /** @return whether the call filled all the room it had (so there may be more to come). */
    private boolean deflate(final ByteBuf out, final int flush)
    {
        out.ensureWritable(MIN_ROOM);
        final int room = out.writableBytes();
        final int written = deflater.deflate(out.nioBuffer(out.writerIndex(), room), flush);
        out.writerIndex(out.writerIndex() + written);
        return written == room;
    }

    @Override
    public void close()
    {
        deflater.end();
    }
}
