package io.sluice.lab.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP/1.1 response read off a plain socket, and the request that asks for it. The lab
 * speaks HTTP by hand on purpose: it must decide exactly which TCP connection carries each
 * request (one per request to spread over reals, or one long-lived connection to prove a flow
 * stays on its real), which an HTTP client library's connection pool would hide.
 *
 * @param status  the status code.
 * @param headers header names lower-cased.
 * @param body    the body as text (the backends answer with short text bodies).
 */
public record HttpReply(int status, Map<String, String> headers, String body)
{
    public static final String SERVED_BY = "x-served-by";
    public static final String CLIENT_ADDR = "x-client-addr";
    public static final String SERVED_VIA = "x-served-via";

    private static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final int MAX_BODY_BYTES = 1024 * 1024;

    /** The name of the backend that answered, or null when the reply does not say. */
    public String servedBy()
    {
        return headers.get(SERVED_BY);
    }

    /** The L7 proxy that passed the request on, or null when none says so. */
    public String servedVia()
    {
        return headers.get(SERVED_VIA);
    }

    /** The client address the backend saw, or null when the reply does not say. */
    public String clientAddr()
    {
        return headers.get(CLIENT_ADDR);
    }

    /** Writes {@code GET PATH HTTP/1.1}, asking the server to keep the connection open or to close it. */
    public static void writeGet(final OutputStream out, final String host, final String path, final boolean keepAlive)
        throws IOException
    {
        final String request = "GET " + path + " HTTP/1.1\r\n" +
            "Host: " + host + "\r\n" +
            "User-Agent: sluice-lab\r\n" +
            "Connection: " + (keepAlive ? "keep-alive" : "close") + "\r\n" +
            "\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /**
     * Reads one response with a Content-Length body, leaving the stream at the next response.
     *
     * @throws ProtocolException when the bytes are not such a response.
     * @throws IOException       when the connection fails or closes early.
     */
    public static HttpReply read(final InputStream in) throws IOException
    {
        final String head = readHead(in);
        final String[] lines = head.split("\r\n");
        final String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1."))
        {
            throw new ProtocolException("not an HTTP/1.x status line: " + lines[0]);
        }
        final int status;
        try
        {
            status = Integer.parseInt(statusLine[1]);
        }
        catch (final NumberFormatException ex)
        {
            throw new ProtocolException("bad status code: " + lines[0]);
        }
        final Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++)
        {
            final int colon = lines[i].indexOf(':');
            if (colon > 0)
            {
                headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
            }
        }
        final String length = headers.get("content-length");
        if (length == null)
        {
            throw new ProtocolException("response without Content-Length");
        }
        final int bodyBytes;
        try
        {
            bodyBytes = Integer.parseInt(length);
        }
        catch (final NumberFormatException ex)
        {
            throw new ProtocolException("bad Content-Length: " + length);
        }
        if (bodyBytes < 0 || bodyBytes > MAX_BODY_BYTES)
        {
            throw new ProtocolException("Content-Length " + bodyBytes + " out of range");
        }
        final byte[] body = in.readNBytes(bodyBytes);
        if (body.length != bodyBytes)
        {
            throw new IOException("connection closed after " + body.length + " of " + bodyBytes + " body bytes");
        }
        return new HttpReply(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String readHead(final InputStream in) throws IOException
    {
        final ByteArrayOutputStream head = new ByteArrayOutputStream(256);
        int matched = 0;
        while (matched < 4)
        {
            final int b = in.read();
            if (b < 0)
            {
                throw new IOException(head.size() == 0 ? "connection closed before a response" : "connection closed inside the response head");
            }
            head.write(b);
            if (head.size() > MAX_HEADER_BYTES)
            {
                throw new ProtocolException("response head longer than " + MAX_HEADER_BYTES + " bytes");
            }
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ?
                matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
