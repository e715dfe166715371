package io.sluice.l7.cache;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A response on its way to being stored: what was taken from its head (and its request's head)
 * when it arrived, waiting for its body ({@link StoringBody}). A route's compressor may hold the
 * head and decide on its coding only once it has seen some of the body, after the cache saw the
 * head: so the fields that describe the representation, and with them the Vary names and the
 * request's values of them, are taken from the live head again when the body's first part comes
 * ({@link #settle}), before anything else the proxy adds to the head (its keep-alive, a sticky
 * cookie) could be taken for the backend's.
 */
final class PendingStore
{
    /** What a compressor changes of a head: copied from the live head when the body is settled. */
    private static final AsciiString[] REPRESENTATION = {HttpHeaderNames.CONTENT_ENCODING, HttpHeaderNames.VARY,
        HttpHeaderNames.ETAG, HttpHeaderNames.ACCEPT_RANGES};

    private final ResponseCache cache;
    private final String primaryKey;
    private final HttpResponse head;
    private final HttpHeaders headers;
    private final HttpHeaders request;
    private final Set<String> tags;
    private final long requestTimeMs;
    private final Fill fill;
    /** The route's Accept-Encoding by coding, or null when it does not compress. */
    private final VaryValue byCoding;
    private List<String> varyNames;
    private List<String> varyValues;
    private VaryValue varyValue;

    /**
     * @param headers the head's fields as the cache keeps them (its own copy).
     * @param fill    the fill it completes (its waiters are answered from it), or null when its request led none.
     */
    PendingStore(final ResponseCache cache, final String primaryKey, final HttpResponse head, final HttpHeaders headers,
        final HttpHeaders request, final Set<String> tags, final long requestTimeMs, final Fill fill, final VaryValue byCoding)
    {
        this.cache = cache;
        this.primaryKey = primaryKey;
        this.head = head;
        this.headers = headers;
        this.request = request;
        this.tags = tags;
        this.requestTimeMs = requestTimeMs;
        this.fill = fill;
        this.byCoding = byCoding;
    }

    /**
     * The body's first part is here, so the representation is decided: its fields are taken from
     * the live head, and the Vary values from the request. Accept-Encoding is keyed by the coding
     * the route's compression chooses when that is the coding this body has: a backend that
     * varies on it in ways of its own keeps the header's value as written.
     */
    void settle()
    {
        final HttpHeaders live = head.headers();
        for (final AsciiString name : REPRESENTATION)
        {
            headers.remove(name);
            for (final String value : live.getAll(name))
            {
                headers.add(name, value);
            }
        }
        varyNames = CacheRules.varyNames(headers);
        varyValue = byCoding != null && varyNames.contains(VaryValue.ACCEPT_ENCODING)
            && byCoding.of(request, VaryValue.ACCEPT_ENCODING).equals(coding(headers)) ? byCoding : VaryValue.AS_WRITTEN;
        varyValues = new ArrayList<>(varyNames.size());
        for (final String name : varyNames)
        {
            varyValues.add(varyValue.of(request, name));
        }
    }

    private static String coding(final HttpHeaders fields)
    {
        final String encoding = fields.get(HttpHeaderNames.CONTENT_ENCODING);
        return encoding == null ? VaryValue.IDENTITY : encoding.strip().toLowerCase(Locale.ROOT);
    }

    String primaryKey()
    {
        return primaryKey;
    }

    HttpResponseStatus status()
    {
        return head.status();
    }

    HttpHeaders headers()
    {
        return headers;
    }

    List<String> varyNames()
    {
        return varyNames;
    }

    List<String> varyValues()
    {
        return varyValues;
    }

    VaryValue varyValue()
    {
        return varyValue;
    }

    Set<String> tags()
    {
        return tags;
    }

    long requestTimeMs()
    {
        return requestTimeMs;
    }

    Fill fill()
    {
        return fill;
    }

    /** The whole body arrived: the cache takes it (and this buffer). */
    void store(final ByteBuf body)
    {
        cache.store(this, body);
    }

    /** The body will not be stored (too long, a length that lied, broken off). */
    void notStored()
    {
        cache.notStored(this);
    }
}
