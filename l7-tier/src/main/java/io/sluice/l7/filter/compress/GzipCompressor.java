package io.sluice.l7.filter.compress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip (RFC 1952) over the JDK's zlib: a raw deflate stream between a fixed ten-byte header and
 * the CRC-32 and length trailer. The deflater is this thread's idle one when it has one
 * ({@link IdleEncoders}), reset at the response's end for the next. A streamed body's chunks
 * each end with a {@code SYNC_FLUSH}, as Netty's {@code JdkZlibEncoder} does: the window carries
 * across chunks and each chunk is decodable as it arrives. A whole body's (one of known length)
 * do not: zlib gives out each block as it fills and the rest at the end, as nginx's gzip does
 * for a buffered response, so a 64 KiB body is one block or two instead of one per 8 KiB piece
 * the backend decoder hands on, each with its own Huffman trees and flush marker.
 */
final class GzipCompressor implements Compressor
{
    /** Magic, deflate, no flags, no modification time, no extra flags, operating system unknown. */
    private static final byte[] HEADER = {0x1f, (byte)0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte)0xff};
    /** Room the output keeps free before each deflate call: enough that each call makes progress. */
    private static final int MIN_ROOM = 512;
    /** The ratio the first output buffer is sized for (JSON and HTML come to about a fifth); a poorer one grows it. */
    private static final int EXPECTED_RATIO = 4;
    /** About 270 KiB each at the default memLevel: four per level a thread uses. */
    private static final IdleEncoders<Deflater> IDLE = new IdleEncoders<>(Deflater.BEST_COMPRESSION, 4, Deflater::end);

    private final int level;
    private final boolean flushEachCall;
    private final Deflater deflater;
    private final CRC32 crc = new CRC32();
    private long inputBytes;
    /** Input taken since a call last gave output: what zlib holds back, about to come out with the next block or the end. */
    private long heldBytes;
    private boolean headerWritten;
    /** A call failed part way: the stream is in no state to be reset and kept. */
    private boolean broken;

    /** @param flushEachCall whether each call's output is flushed (a streamed body) or only the end's (a whole one). */
    GzipCompressor(final int level, final boolean flushEachCall)
    {
        this.level = level;
        this.flushEachCall = flushEachCall;
        final Deflater idle = IDLE.take(level);
        deflater = idle != null ? idle : new Deflater(level, true);
    }

    @Override
    public ByteBuf compress(final ByteBuf input, final boolean end, final ByteBufAllocator alloc)
    {
        heldBytes += input.readableBytes();
        final ByteBuf out = alloc.ioBuffer((int)Math.max(MIN_ROOM, heldBytes / EXPECTED_RATIO + HEADER.length));
        try
        {
            final int headerBytes = headerWritten ? 0 : HEADER.length;
            out.writerIndex(headerBytes); // the header's room: it is written once something follows it
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
            else if (flushEachCall)
            {
                // A flush may need more room than one call has: it is done when a call leaves room unused.
                boolean roomFilled;
                do
                {
                    roomFilled = deflate(out, Deflater.SYNC_FLUSH);
                }
                while (roomFilled);
            }
            if (out.writerIndex() > headerBytes)
            {
                out.setBytes(0, HEADER, 0, headerBytes);
                headerWritten = true;
                heldBytes = 0;
            }
            else
            {
                out.writerIndex(0); // zlib keeps all of it for now: nothing to send, not even the header
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
        if (broken)
        {
            deflater.end();
        }
        else
        {
            deflater.reset();
            IDLE.giveBack(level, deflater);
        }
    }
}
