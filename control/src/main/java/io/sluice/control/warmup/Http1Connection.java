package io.sluice.control.warmup;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 client connection of the warm-up's load, on a blocking socket, cleartext or TLS:
 * the load runs on plain threads and the JDK's sockets, so none of Netty's client-side code runs
 * beside the proxy's and blurs its profiles.
 */
final class Http1Connection implements AutoCloseable
{
    private static final int MAX_HEAD_BYTES = 8_192;

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final byte[] head = new byte[MAX_HEAD_BYTES];

    /** Over {@code connected} (a TLS socket with its handshake done, or a plain one), closed with this connection. */
    Http1Connection(final Socket connected) throws IOException
    {
        socket = connected;
        try
        {
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream());
        }
        catch (final IOException ex)
        {
            socket.close();
            throw ex;
        }
    }

    /** A GET (or HEAD) of {@code path}; with {@code close}, one that asks the proxy to close after its answer. */
    static byte[] request(final String method, final String path, final boolean close)
    {
        return (method + " " + path + " HTTP/1.1\r\nHost: warm-up.sluice\r\nUser-Agent: sluice-l7-warm-up\r\n" +
            "Accept: */*\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    void send(final byte[] request) throws IOException
    {
        out.write(request);
        out.flush();
    }

    /**
     * Reads one answer whole (its head, then Content-Length bytes of body unless it answers a HEAD).
     *
     * @return its status code.
     * @throws IOException when the connection ends first or the answer is not one this client reads.
     */
    int readAnswer(final boolean toHead) throws IOException
    {
        int length = 0;
        while (length < 4 || head[length - 4] != '\r' || head[length - 3] != '\n' || head[length - 2] != '\r' ||
            head[length - 1] != '\n')
        {
            if (length == head.length)
            {
                throw new IOException("an answer's head is longer than " + MAX_HEAD_BYTES + " bytes");
            }
            final int b = in.read();
            if (b < 0)
            {
                throw new IOException("the proxy closed the connection before answering");
            }
            head[length++] = (byte)b;
        }
        final String text = new String(head, 0, length, StandardCharsets.ISO_8859_1);
        if (!text.startsWith("HTTP/1.1 ") || text.length() < 12)
        {
            throw new IOException("not an HTTP/1.1 answer: " + text.lines().findFirst().orElse(""));
        }
        final int status = Integer.parseInt(text, 9, 12, 10);
        if (!toHead)
        {
            in.skipNBytes(contentLength(text));
        }
        return status;
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }

    private static long contentLength(final String head) throws IOException
    {
        for (final String line : head.split("\r\n"))
        {
            final int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase("Content-Length"))
            {
                return Long.parseLong(line.substring(colon + 1).strip());
            }
        }
        throw new IOException("an answer without Content-Length: " + head.lines().findFirst().orElse(""));
    }
}
