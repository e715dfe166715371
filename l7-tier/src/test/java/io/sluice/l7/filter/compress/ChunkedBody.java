package io.sluice.l7.filter.compress;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** An HTTP/1.1 chunked body read as the bytes it carries, for a test that reads a response as it streams. */
final class ChunkedBody extends InputStream
{
    private final InputStream in;
    private long leftInChunk;
    private boolean ended;

    /** @param in positioned at the body's first chunk-size line. */
    ChunkedBody(final InputStream in)
    {
        this.in = in;
    }

    @Override
    public int read() throws IOException
    {
        final byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(final byte[] into, final int offset, final int length) throws IOException
    {
        if (ended)
        {
            return -1;
        }
        if (leftInChunk == 0)
        {
            leftInChunk = Long.parseLong(line().split(";")[0].strip(), 16);
            if (leftInChunk == 0)
            {
                ended = true;
                while (!line().isEmpty())
                {
                    continue; // trailers
                }
                return -1;
            }
        }
        final int read = in.read(into, offset, (int)Math.min(length, leftInChunk));
        if (read < 0)
        {
            throw new IOException("the body broke off inside a chunk");
        }
        leftInChunk -= read;
        if (leftInChunk == 0)
        {
            line(); // the CRLF after the chunk's data
        }
        return read;
    }

    /** One line without its CRLF. */
    String line() throws IOException
    {
        final StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n')
        {
            if (c < 0)
            {
                throw new IOException("the connection closed inside a line");
            }
            if (c != '\r')
            {
                line.append((char)c);
            }
        }
        return line.toString();
    }

    /** Reads a response head from {@code in}: its lines, the status line first. */
    static String head(final InputStream in) throws IOException
    {
        final ChunkedBody lines = new ChunkedBody(in);
        final StringBuilder head = new StringBuilder();
        String line;
        while (!(line = lines.line()).isEmpty())
        {
            head.append(line).append('\n');
        }
        return head.toString();
    }

    static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
