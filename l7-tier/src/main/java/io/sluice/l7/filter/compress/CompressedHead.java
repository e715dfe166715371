package io.sluice.l7.filter.compress;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.sluice.l7.config.ContentCoding;

import java.util.List;

/**
 * The response head's fields that describe its representation (RFC 9110 8), as compression
 * changes them and as they forbid it.
 */
final class CompressedHead
{
    private static final String ACCEPT_ENCODING = "Accept-Encoding";
    private static final String NO_TRANSFORM = "no-transform";
    private static final String IDENTITY = "identity";
    private static final String WEAK = "W/";

    private CompressedHead()
    {
    }

    /**
     * The head of a body about to be compressed: its coding named, its length unknown now
     * (chunked on HTTP/1.1, DATA frames on HTTP/2), {@code Vary} saying the coding depends on
     * Accept-Encoding, a strong ETag made weak (the bytes are not the backend's, RFC 9110
     * 8.8.3), and no Accept-Ranges (ranges of this representation are not served).
     */
    static void compressed(final HttpResponse response, final ContentCoding coding)
    {
        final HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.CONTENT_ENCODING, coding.token());
        HttpUtil.setTransferEncodingChunked(response, true);
        varyOnAcceptEncoding(headers);
        final String etag = headers.get(HttpHeaderNames.ETAG);
        if (etag != null && !etag.startsWith(WEAK))
        {
            headers.set(HttpHeaderNames.ETAG, WEAK + etag);
        }
        headers.remove(HttpHeaderNames.ACCEPT_RANGES);
    }

    /**
     * Adds Accept-Encoding to Vary (one field, the existing list kept): a shared cache must not
     * serve one client's coding to another. Nothing when Vary is {@code *} or names it already.
     */
    static void varyOnAcceptEncoding(final HttpHeaders headers)
    {
        final List<String> vary = headers.getAll(HttpHeaderNames.VARY);
        if (vary.isEmpty())
        {
            headers.set(HttpHeaderNames.VARY, ACCEPT_ENCODING);
            return;
        }
        for (final String value : vary)
        {
            for (final String name : value.split(","))
            {
                final String field = name.strip();
                if (field.equals("*") || field.equalsIgnoreCase(ACCEPT_ENCODING))
                {
                    return;
                }
            }
        }
        headers.set(HttpHeaderNames.VARY, String.join(", ", vary) + ", " + ACCEPT_ENCODING);
    }

    /** Whether Cache-Control has {@code no-transform} (RFC 9111 5.2.2.6): the proxy may not change the body. */
    static boolean noTransform(final HttpHeaders headers)
    {
        for (final String value : headers.getAll(HttpHeaderNames.CACHE_CONTROL))
        {
            for (final String directive : value.split(","))
            {
                final String name = directive.strip();
                final int equals = name.indexOf('=');
                if ((equals < 0 ? name : name.substring(0, equals).strip()).equalsIgnoreCase(NO_TRANSFORM))
                {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether the body has a content coding already ({@code identity} is none). */
    static boolean encoded(final HttpHeaders headers)
    {
        final String encoding = headers.get(HttpHeaderNames.CONTENT_ENCODING);
        return encoding != null && !encoding.strip().equalsIgnoreCase(IDENTITY);
    }
}
