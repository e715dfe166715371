package io.sluice.l7.filter.compress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.sluice.l7.config.ContentCoding;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each coding's encoder over a body in the 8 KiB pieces the backend decoder hands on: a whole
 * body's pieces come out in a block or two (not a flushed chunk per piece) and decode to the
 * body; a streamed body's each piece is decodable on arrival; and an encoder a response left
 * mid-stream (kept for the thread's next, for gzip and zstd) leaves that next response clean.
 */
class CompressorTest
{
    private static final int PIECE_BYTES = 8192;
    /** 64 KiB of JSON records, as the bench's body: compressible, and not one repeated string. */
    private static final byte[] BODY = json(65536);

    /** As a route that offers them does when it is made: brotli4j's encoder needs its library loaded first. */
    @BeforeAll
    static void loadTheNativeLibraries()
    {
        for (final ContentCoding coding : ContentCoding.values())
        {
            NativeCodecs.check("test", coding);
        }
    }

    static byte[] json(final int bytes)
    {
        final StringBuilder json = new StringBuilder("[");
        for (int i = 0; json.length() < bytes - 100; i++)
        {
            json.append(i == 0 ? "" : ",\n").append("{\"id\":").append(100000 + i * 7)
                .append(",\"name\":\"user ").append(i * 31 % 997).append("\",\"score\":").append(i * 613 % 1000)
                .append(",\"active\":").append(i % 3 != 0).append('}');
        }
        return json.append(']').toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** What each call gave, the body given in pieces, the last call ending it. */
    private static List<byte[]> compressInPieces(final Compressor compressor, final byte[] body)
    {
        final List<byte[]> outputs = new ArrayList<>();
        try
        {
            for (int at = 0; at < body.length; at += PIECE_BYTES)
            {
                final int length = Math.min(PIECE_BYTES, body.length - at);
                outputs.add(call(compressor, Arrays.copyOfRange(body, at, at + length), at + length == body.length));
            }
        }
        finally
        {
            compressor.close();
        }
        return outputs;
    }

    private static byte[] call(final Compressor compressor, final byte[] piece, final boolean end)
    {
        final ByteBuf input = ByteBufAllocator.DEFAULT.directBuffer(piece.length).writeBytes(piece);
        final ByteBuf output = compressor.compress(input, end, ByteBufAllocator.DEFAULT);
        try
        {
            return ByteBufUtil.getBytes(output);
        }
        finally
        {
            input.release();
            output.release();
        }
    }

    private static byte[] joined(final List<byte[]> outputs)
    {
        final ByteArrayOutputStream all = new ByteArrayOutputStream();
        outputs.forEach(all::writeBytes);
        return all.toByteArray();
    }

    @ParameterizedTest
    @EnumSource(ContentCoding.class)
    void aWholeBodysPiecesComeOutInABlockOrTwoAndDecodeToTheBody(final ContentCoding coding)
    {
        final List<byte[]> outputs = compressInPieces(Compressor.open(coding, coding.defaultLevel(), false), BODY);

        final long gave = outputs.stream().filter((output) -> output.length > 0).count();
        assertThat(gave).as("calls that gave something, of " + outputs.size()).isBetween(1L, 2L);
        assertThat(outputs.getLast()).as("the end").isNotEmpty();
        assertThat(Codings.decode(coding.token(), joined(outputs))).isEqualTo(BODY);
    }

    @ParameterizedTest
    @EnumSource(ContentCoding.class)
    void aStreamedBodysEveryPieceGivesOutputAndTheWholeDecodes(final ContentCoding coding)
    {
        final List<byte[]> outputs = compressInPieces(Compressor.open(coding, coding.defaultLevel(), true), BODY);

        assertThat(outputs).as("every call flushed").allSatisfy((output) -> assertThat(output).isNotEmpty());
        assertThat(Codings.decode(coding.token(), joined(outputs))).isEqualTo(BODY);
    }

    @Test
    void aStreamedGzipBodyDecodesAsFarAsItCameAfterEachPiece() throws DataFormatException
    {
        final Compressor compressor = Compressor.open(ContentCoding.GZIP, 6, true);
        final Inflater inflater = new Inflater(true);
        final ByteArrayOutputStream decoded = new ByteArrayOutputStream();
        try
        {
            final byte[] buffer = new byte[BODY.length];
            for (int at = 0; at < BODY.length - PIECE_BYTES; at += PIECE_BYTES)
            {
                final byte[] output = call(compressor, Arrays.copyOfRange(BODY, at, at + PIECE_BYTES), false);
                final int header = at == 0 ? 10 : 0; // gzip's fixed header, before the raw deflate stream
                inflater.setInput(output, header, output.length - header);
                int inflated;
                while ((inflated = inflater.inflate(buffer)) > 0)
                {
                    decoded.write(buffer, 0, inflated);
                }
                assertThat(decoded.toByteArray()).as("decodable up to the piece ending at " + (at + PIECE_BYTES))
                    .isEqualTo(Arrays.copyOf(BODY, at + PIECE_BYTES));
            }
        }
        finally
        {
            inflater.end();
            compressor.close();
        }
    }

    @ParameterizedTest
    @EnumSource(ContentCoding.class)
    void anEncoderLeftMidStreamLeavesTheThreadsNextResponseClean(final ContentCoding coding)
    {
        final Compressor abandoned = Compressor.open(coding, coding.minLevel(), false);
        call(abandoned, Arrays.copyOf(BODY, PIECE_BYTES * 3), false);
        abandoned.close(); // the client went away: a gzip or zstd encoder is reset and kept for this thread

        final List<byte[]> outputs = compressInPieces(Compressor.open(coding, coding.minLevel(), false), BODY);

        assertThat(Codings.decode(coding.token(), joined(outputs))).isEqualTo(BODY);
    }

    @Test
    void anEmptyWholeBodyIsAValidGzipStream()
    {
        final Compressor compressor = Compressor.open(ContentCoding.GZIP, 6, false);
        final byte[] output;
        try
        {
            output = call(compressor, new byte[0], true);
        }
        finally
        {
            compressor.close();
        }
        assertThat(Codings.decode("gzip", output)).isEmpty();
        assertThat(Unpooled.wrappedBuffer(output).getUnsignedShort(0)).as("gzip's magic").isEqualTo(0x1f8b);
    }
}
