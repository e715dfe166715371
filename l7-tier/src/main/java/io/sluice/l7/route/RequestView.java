package io.sluice.l7.route;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.sluice.l7.http.RequestTarget;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The parts of one request that routes look at, each worked out at most once and only when a
 * route asks: most requests are routed on host and path alone, and never pay for decoding the
 * query string or the cookies. One per request, on its event loop; never shared.
 */
final class RequestView
{
    /**
     * Decodes a query string alone; {@code ;} is an ordinary character, as in browsers and most
     * frameworks (splitting on it would let {@code ?a=1;b=2} route as if it had a {@code b}).
     * Configured once and only read afterwards, so all threads can share it.
     */
    private static final QueryStringDecoder.Builder QUERY_DECODER = QueryStringDecoder.builder()
        .hasPath(false)
        .semicolonIsNormalChar(true);

    private static final String ROOT = "/";

    private final HttpRequest request;
    /** The path is {@code pathSource[pathStart, pathEnd)}: no copy for exact and prefix matches. */
    private final String pathSource;
    private final int pathStart;
    private final int pathEnd;
    private final String uri;
    /** The query string is {@code uri[queryStart, queryEnd)}; queryStart is -1 for none. */
    private final int queryStart;
    private final int queryEnd;
    /** For absolute-form ({@code GET http://host/path}): the authority, which overrides the Host header. */
    private final String absoluteAuthority;

    private boolean hostParsed;
    private String host;
    private String path;
    private Map<String, List<String>> queryParameters;
    private List<Cookie> cookies;

    RequestView(final HttpRequest request)
    {
        this.request = request;
        uri = request.uri();
        final RequestTarget target = RequestTarget.parse(uri);
        absoluteAuthority = target.authority();
        if (target.pathStart() == target.pathEnd())
        {
            pathSource = ROOT;
            pathStart = 0;
            pathEnd = 1;
        }
        else
        {
            pathSource = uri;
            pathStart = target.pathStart();
            pathEnd = target.pathEnd();
        }
        queryStart = target.queryStart();
        queryEnd = target.queryEnd();
    }

    HttpRequest request()
    {
        return request;
    }

    String method()
    {
        return request.method().name();
    }

    /** Lower case, without port or IPv6 brackets; null when the request names no host. */
    String host()
    {
        if (!hostParsed)
        {
            hostParsed = true;
            host = HostName.fromAuthority(
                absoluteAuthority != null ? absoluteAuthority : request.headers().get(HttpHeaderNames.HOST));
        }
        return host;
    }

    boolean pathEquals(final String value)
    {
        final int length = pathEnd - pathStart;
        return length == value.length() && pathSource.regionMatches(pathStart, value, 0, length);
    }

    boolean pathStartsWith(final String prefix)
    {
        return pathEnd - pathStart >= prefix.length() && pathSource.regionMatches(pathStart, prefix, 0, prefix.length());
    }

    /** The path without the query string, as sent (not percent-decoded); "/" when empty. */
    String path()
    {
        if (path == null)
        {
            path = pathSource.substring(pathStart, pathEnd);
        }
        return path;
    }

    /** Decoded query parameters by name; parsed on the first call. */
    Map<String, List<String>> queryParameters()
    {
        if (queryParameters == null)
        {
            queryParameters = queryStart < 0 || queryStart == queryEnd
                ? Map.of()
                : QUERY_DECODER.build(uri.substring(queryStart, queryEnd)).parameters();
        }
        return queryParameters;
    }

    /** Every cookie of every Cookie header, in order, duplicates kept; parsed on the first call. */
    List<Cookie> cookies()
    {
        if (cookies == null)
        {
            final Iterator<String> headers = request.headers().valueStringIterator(HttpHeaderNames.COOKIE);
            if (!headers.hasNext())
            {
                cookies = List.of();
            }
            else
            {
                cookies = new ArrayList<>();
                while (headers.hasNext())
                {
                    cookies.addAll(ServerCookieDecoder.LAX.decodeAll(headers.next()));
                }
            }
        }
        return cookies;
    }
}
