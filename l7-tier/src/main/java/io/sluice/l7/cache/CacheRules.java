package io.sluice.l7.cache;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.sluice.l7.config.CacheSettings;
import io.sluice.l7.filter.FilterContext;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The rules of RFC 9111 (and RFC 9110's conditional requests) the cache applies to request and
 * response heads: which requests it leaves alone or sends alone, which responses it may store and
 * why not, a client's condition against a stored response, validators, Vary, tags.
 */
final class CacheRules
{
    /** RFC 9110 15.1: the statuses that are heuristically cacheable; no other is stored. */
    static final Set<Integer> CACHEABLE_STATUSES = Set.of(200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501);
    /** Backend statuses for which stale-if-error may answer instead (RFC 5861 4). */
    static final Set<Integer> ERROR_STATUSES = Set.of(500, 502, 503, 504);
    /** A client's request fields a background refresh leaves out. */
    private static final AsciiString[] CLIENT_ONLY = {HttpHeaderNames.IF_NONE_MATCH, HttpHeaderNames.IF_MODIFIED_SINCE,
        HttpHeaderNames.IF_MATCH, HttpHeaderNames.IF_UNMODIFIED_SINCE, HttpHeaderNames.IF_RANGE, HttpHeaderNames.RANGE,
        HttpHeaderNames.CONTENT_LENGTH, HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.EXPECT,
        HttpHeaderNames.CACHE_CONTROL, HttpHeaderNames.PRAGMA};
    /** Fastly's purge tags: space-separated, stored with the response and not sent to clients. */
    static final String SURROGATE_KEY = "surrogate-key";
    /** The detail of a response not stored for a Cache-Control that is not the field's grammar (counted apart). */
    static final String MALFORMED = "malformed-cache-control";

    private CacheRules()
    {
    }

    /**
     * Whether the request counts as one "with Authorization" (RFC 9111 3.5): it carries the field,
     * or an authentication filter of the route took its credentials (it may remove the token
     * before the backend and this cache, but the response is still that one user's).
     */
    static boolean authorized(final HttpHeaders request, final FilterContext context)
    {
        return request.contains(HttpHeaderNames.AUTHORIZATION) || context.identity() != null;
    }

    /**
     * Why this response may not be stored (Cache-Status' detail), or null when it may.
     *
     * @param authorized whether the request counts as one with Authorization ({@link #authorized}).
     */
    static String refusal(final boolean authorized, final HttpResponse response, final int code, final CacheSettings settings)
    {
        final HttpHeaders fields = response.headers();
        final CacheControl directives = CacheControl.parse(fields.getAll(HttpHeaderNames.CACHE_CONTROL));
        if (directives.malformed())
        {
            return MALFORMED;
        }
        if (!CACHEABLE_STATUSES.contains(code))
        {
            return "status";
        }
        if (directives.noStore())
        {
            return "no-store";
        }
        if (directives.isPrivate())
        {
            return "private";
        }
        if (authorized && !directives.allowsAuthorized())
        {
            return "authorization";
        }
        if (!settings.storeSetCookie() && fields.contains(HttpHeaderNames.SET_COOKIE))
        {
            return "set-cookie";
        }
        if (varyNames(fields).contains("*"))
        {
            return "vary-star";
        }
        if (fields.contains(HttpHeaderNames.CONTENT_RANGE))
        {
            return "partial";
        }
        if (fields.containsValue(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_EVENT_STREAM, true))
        {
            return "event-stream"; // it never ends as a whole, and its waiters would wait for it
        }
        if (HttpUtil.getContentLength(response, -1L) > settings.maxObjectBytes())
        {
            return "too-large";
        }
        final long dateMs = StoredResponse.dateMs(fields, HttpHeaderNames.DATE, 0);
        final long lifetimeMs = StoredResponse.lifetimeMs(directives, fields, dateMs, settings.defaultTtl().toMillis());
        if ((lifetimeMs <= 0 || directives.noCache()) && !hasValidator(fields))
        {
            return "no-freshness"; // stale at once and nothing to revalidate it with: storing it would serve nobody
        }
        return null;
    }

    /** The request's Cache-Control; RFC 9111 5.4: without one, {@code Pragma: no-cache} means no-cache. */
    static CacheControl requestDirectives(final HttpHeaders headers)
    {
        return CacheControl.parse(headers.getAll(HttpHeaderNames.CACHE_CONTROL));
    }

    /**
     * A GET the cache has nothing to do with: the client forbids storing (or its Cache-Control is
     * not the field's grammar), or it asks for an upgrade (a WebSocket), whose answer is no response to keep.
     */
    static boolean bypasses(final CacheControl asked, final HttpHeaders request)
    {
        return asked.noStore() || asked.malformed() || request.contains(HttpHeaderNames.UPGRADE);
    }

    /** The client asks for the backend's answer, not a stored one (a browser's reload). */
    static boolean reload(final CacheControl asked, final HttpHeaders headers)
    {
        return asked.noCache() || asked.maxAge() == 0
            || asked == CacheControl.NONE && headers.containsValue(HttpHeaderNames.PRAGMA, HttpHeaderValues.NO_CACHE, true);
    }

    /**
     * How long past its freshness a stored response may stand in for a failing backend, in
     * seconds, or {@link CacheControl#ABSENT}: the longer of the response's and the request's
     * stale-if-error (RFC 5861 4: each allows it, the request's for itself).
     */
    static long staleIfError(final StoredResponse stored, final CacheControl asked)
    {
        return Math.max(stored.directives().staleIfError(), asked.staleIfError());
    }

    /**
     * The request a background refresh sends for a stale response: the client's head without its
     * own conditions, ranges, framing and cache directives (the refresh is the cache's, for every
     * client), as a GET, with the stored response's validators.
     */
    static HttpRequest revalidation(final HttpRequest client, final HttpHeaders stored)
    {
        final HttpHeaders headers = client.headers().copy();
        for (final AsciiString name : CLIENT_ONLY)
        {
            headers.remove(name);
        }
        addValidators(headers, stored);
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, client.uri(), Unpooled.EMPTY_BUFFER, headers,
            EmptyHttpHeaders.INSTANCE);
    }

    /** The 504 a request with only-if-cached gets when nothing stored will do for it (RFC 9111 5.2.1.7). */
    static FullHttpResponse notStored()
    {
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.GATEWAY_TIMEOUT,
            Unpooled.copiedBuffer("nothing stored will do, and the request is only-if-cached\n", StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
            .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
            .set(CacheStatus.NAME, CacheStatus.ONLY_IF_CACHED);
        return response;
    }

    static boolean conditionalOrRanged(final HttpHeaders headers)
    {
        return headers.contains(HttpHeaderNames.IF_NONE_MATCH) || headers.contains(HttpHeaderNames.IF_MODIFIED_SINCE)
            || headers.contains(HttpHeaderNames.IF_MATCH) || headers.contains(HttpHeaderNames.IF_UNMODIFIED_SINCE)
            || headers.contains(HttpHeaderNames.IF_RANGE) || headers.contains(HttpHeaderNames.RANGE);
    }

    static boolean hasValidator(final HttpHeaders response)
    {
        return response.contains(HttpHeaderNames.ETAG) || response.contains(HttpHeaderNames.LAST_MODIFIED);
    }

    /** The stored response's validators on the request that revalidates it (RFC 9111 4.3.1). */
    static void addValidators(final HttpHeaders request, final HttpHeaders stored)
    {
        final String etag = stored.get(HttpHeaderNames.ETAG);
        if (etag != null)
        {
            request.set(HttpHeaderNames.IF_NONE_MATCH, etag);
        }
        final String lastModified = stored.get(HttpHeaderNames.LAST_MODIFIED);
        if (lastModified != null)
        {
            request.set(HttpHeaderNames.IF_MODIFIED_SINCE, lastModified);
        }
    }

    /**
     * Whether the client's own condition holds for the stored response, so it gets a 304
     * (RFC 9110 13.2.2): If-None-Match by weak comparison, else If-Modified-Since against Last-Modified.
     */
    static boolean notModified(final HttpHeaders request, final StoredResponse stored)
    {
        final String ifNoneMatch = request.get(HttpHeaderNames.IF_NONE_MATCH);
        if (ifNoneMatch != null)
        {
            final String etag = stored.headers().get(HttpHeaderNames.ETAG);
            if (etag == null)
            {
                return false;
            }
            for (final String candidate : ifNoneMatch.split(","))
            {
                final String tag = candidate.strip();
                if (tag.equals("*") || weak(tag).equals(weak(etag)))
                {
                    return true;
                }
            }
            return false;
        }
        final String ifModifiedSince = request.get(HttpHeaderNames.IF_MODIFIED_SINCE);
        if (ifModifiedSince == null || !stored.headers().contains(HttpHeaderNames.LAST_MODIFIED))
        {
            return false;
        }
        final long since = StoredResponse.dateMs(request, HttpHeaderNames.IF_MODIFIED_SINCE, -1);
        return since >= 0 && StoredResponse.dateMs(stored.headers(), HttpHeaderNames.LAST_MODIFIED, Long.MAX_VALUE) <= since;
    }

    static String weak(final String etag)
    {
        return etag.startsWith("W/") ? etag.substring(2) : etag;
    }

    /** The Vary field's names, lower case, in order ({@code *} kept, so the caller can refuse it). */
    static List<String> varyNames(final HttpHeaders fields)
    {
        final List<String> names = new ArrayList<>();
        for (final String value : fields.getAll(HttpHeaderNames.VARY))
        {
            for (final String name : value.split(","))
            {
                final String trimmed = name.strip().toLowerCase(Locale.ROOT);
                if (!trimmed.isEmpty() && !names.contains(trimmed))
                {
                    names.add(trimmed);
                }
            }
        }
        return names;
    }

    static Set<String> tags(final HttpHeaders fields)
    {
        final String value = fields.get(SURROGATE_KEY);
        return value == null || value.isBlank() ? Set.of() : Set.copyOf(Arrays.asList(value.strip().split("\\s+")));
    }
}
