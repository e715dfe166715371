package io.sluice.l7.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately small HTTP/1.1 client over a plain socket, so tests control exactly what goes
 * on the wire (pipelining, keep-alive, the connection used) and see exactly what comes back.
 * Reads responses framed by Content-Length, from a socket or from bytes a test collected (an
 * in-memory channel's), and request heads as a backend would read them.
 */
public final class RawHttp
{
    public record Response(int status, Map<String, String> headers, byte[] body)
    {
        public String header(final String name)
        {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String text()
        {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** A request head: what a backend was sent. */
    public record Request(String method, String uri, Map<String, String> headers)
    {
        public String header(final String name)
        {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawHttp()
    {
    }

    public static void send(final Socket socket, final String head) throws IOException
    {
        socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    public static Response read(final Socket socket) throws IOException
    {
        return read(socket.getInputStream());
    }

    public static Response read(final InputStream in) throws IOException
    {
        final String statusLine = line(in);
        if (statusLine == null)
        {
            throw new IOException("connection closed before a response");
        }
        final int status = Integer.parseInt(statusLine.split(" ")[1]);
        final Map<String, String> headers = headers(in);
        final int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        final byte[] body = in.readNBytes(length);
        if (body.length < length)
        {
            throw new IOException("connection closed after " + body.length + " of " + length + " body bytes");
        }
        return new Response(status, headers, body);
    }

    /** A request's line and headers; a body, if any, is left unread. */
    public static Request readRequest(final InputStream in) throws IOException
    {
        final String requestLine = line(in);
        if (requestLine == null)
        {
            throw new IOException("closed before a request");
        }
        final String[] parts = requestLine.split(" ");
        return new Request(parts[0], parts[1], headers(in));
    }

    /** Header names lower-cased; a repeated header's values joined with ", ". */
    private static Map<String, String> headers(final InputStream in) throws IOException
    {
        final Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while ((line = line(in)) != null && !line.isEmpty())
        {
            final int colon = line.indexOf(':');
            headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                (a, b) -> a + ", " + b);
        }
        return headers;
    }

    public static Response get(final Socket socket, final String path, final String... headerLines) throws IOException
    {
        send(socket, "GET " + path + " HTTP/1.1\r\nHost: test\r\n" + String.join("", headerLines) + "\r\n");
        return read(socket);
    }

    private static String line(final InputStream in) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1)
        {
            if (b == '\n')
            {
                final String text = bytes.toString(StandardCharsets.US_ASCII);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            bytes.write(b);
        }
        return bytes.size() == 0 ? null : bytes.toString(StandardCharsets.US_ASCII);
    }
}
