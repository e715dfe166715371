package io.sluice.l7.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http2.HttpConversionUtil.ExtensionHeaderNames;
import io.netty.util.AsciiString;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The headers a proxy owns (RFC 9110 7.6.1, and the X-Forwarded-* convention HAProxy, nginx and
 * Envoy share): hop-by-hop headers are the connection's, not the message's, so they are
 * removed on both legs; the backend learns the client's address and scheme; and every request
 * carries an X-Request-Id, generated when the client sent none, so one request can be followed
 * through every tier's logs.
 */
final class ForwardedHeaders
{
    static final String X_FORWARDED_FOR = "x-forwarded-for";
    static final String X_FORWARDED_PROTO = "x-forwarded-proto";
    static final String X_REQUEST_ID = "x-request-id";
    /**
     * Keep-Alive and Proxy-Connection: RFC 9110 no longer defines them (Netty deprecates its
     * names for them), but HTTP/1.0 clients still send them, and they are this hop's alone.
     */
    private static final AsciiString KEEP_ALIVE = AsciiString.cached("keep-alive");
    private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");
    /** Hop-by-hop headers other than Transfer-Encoding, which the codec keeps because it frames the body it streams. */
    private static final List<CharSequence> HOP_BY_HOP = List.of(HttpHeaderNames.CONNECTION, KEEP_ALIVE,
        PROXY_CONNECTION, HttpHeaderNames.TE, HttpHeaderNames.TRAILER, HttpHeaderNames.UPGRADE,
        HttpHeaderNames.PROXY_AUTHENTICATE, HttpHeaderNames.PROXY_AUTHORIZATION);
    /**
     * The headers Netty's HTTP/2 codec carries pseudo-headers and stream state in once a stream is
     * an HTTP/1.1 message (x-http2-scheme, x-http2-stream-id, ...): the proxy's own bookkeeping, not
     * the client's, so no backend sees them, and a client cannot send them to steer an HTTP/2
     * backend's :scheme or :path. (x-http2-protocol, an extended CONNECT's, is refused earlier.)
     */
    private static final List<CharSequence> HTTP2_CONVERSION = List.of(ExtensionHeaderNames.SCHEME.text(),
        ExtensionHeaderNames.PATH.text(), ExtensionHeaderNames.STREAM_ID.text(), ExtensionHeaderNames.STREAM_PROMISE_ID.text(),
        ExtensionHeaderNames.STREAM_DEPENDENCY_ID.text(), ExtensionHeaderNames.STREAM_WEIGHT.text());

    private ForwardedHeaders()
    {
    }

    /** Removes the hop-by-hop headers, those the Connection header names included. */
    static void removeHopByHop(final HttpHeaders headers)
    {
        if (headers.contains(HttpHeaderNames.CONNECTION)) // rare in HTTP/1.1, where keep-alive needs no header: no list made for it
        {
            removeConnectionOptions(headers);
        }
        for (final CharSequence name : HOP_BY_HOP)
        {
            headers.remove(name);
        }
    }

    /**
     * The headers the Connection header names are this hop's too (RFC 9110 7.6.1), but for those
     * that frame or route the message: Content-Length, Transfer-Encoding and Host are never
     * connection options (a sender may not make them so), and removing one because a client
     * named it would send the body unframed, as a second, smuggled request. HAProxy and nginx
     * ignore such options too.
     */
    private static void removeConnectionOptions(final HttpHeaders headers)
    {
        for (final String connection : headers.getAll(HttpHeaderNames.CONNECTION))
        {
            for (final String token : connection.split(","))
            {
                final String name = token.trim();
                if (!name.isEmpty() && !framesOrRoutes(name))
                {
                    headers.remove(name);
                }
            }
        }
    }

    private static boolean framesOrRoutes(final String name)
    {
        return HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name) ||
            HttpHeaderNames.TRANSFER_ENCODING.contentEqualsIgnoreCase(name) ||
            HttpHeaderNames.HOST.contentEqualsIgnoreCase(name);
    }

    /**
     * A request on its way to a backend: hop-by-hop headers and the HTTP/2 codec's removed, the client's address (as text)
     * appended to X-Forwarded-For, X-Forwarded-Proto set, an X-Request-Id added when absent.
     *
     * @return the request's id.
     */
    static String forRequest(final HttpHeaders headers, final String address, final String scheme)
    {
        removeHopByHop(headers);
        for (final CharSequence name : HTTP2_CONVERSION)
        {
            headers.remove(name);
        }
        final String forwardedFor = headers.get(X_FORWARDED_FOR);
        headers.set(X_FORWARDED_FOR, forwardedFor == null || forwardedFor.isBlank() ? address : forwardedFor + ", " + address);
        headers.set(X_FORWARDED_PROTO, scheme);
        String requestId = headers.get(X_REQUEST_ID);
        if (requestId == null || requestId.isBlank())
        {
            requestId = newRequestId();
            headers.set(X_REQUEST_ID, requestId);
        }
        return requestId;
    }

    /** 128 random bits as 32 hex digits, as Envoy's are (without its dashes); once per request, so no String.format. */
    static String newRequestId()
    {
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        final byte[] hex = new byte[32];
        putHex(hex, 0, random.nextLong());
        putHex(hex, 16, random.nextLong());
        return new String(hex, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static void putHex(final byte[] into, final int at, final long value)
    {
        for (int i = 0; i < 16; i++)
        {
            into[at + i] = (byte)HEX_DIGITS.charAt((int)(value >>> (60 - 4 * i)) & 0xF);
        }
    }

    private static final String HEX_DIGITS = "0123456789abcdef";
}
