package io.sluice.l7.cache;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.sluice.l7.config.CacheSettings;
import io.sluice.l7.http.RequestTarget;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The primary cache key of a request (RFC 9111 section 2): {@code scheme://host/path?query},
 * the host in lower case, the query as written or with its parameters sorted, then the values
 * of the route's {@code key.headers}, one per line. GET and HEAD share it (a HEAD is answered
 * from a stored GET). The method is not in it: only GET responses are stored.
 */
final class CacheKey
{
    private final boolean normaliseQuery;
    private final String[] headers;

    CacheKey(final CacheSettings settings)
    {
        this.normaliseQuery = settings.normaliseQuery();
        this.headers = settings.keyHeaders().toArray(new String[0]);
    }

    String of(final HttpRequest request, final boolean tls)
    {
        final String uri = request.uri();
        final RequestTarget target = RequestTarget.parse(uri);
        final String host = target.authority() != null ? target.authority() : request.headers().get(HttpHeaderNames.HOST, "");
        final StringBuilder key = new StringBuilder(uri.length() + host.length() + 10);
        key.append(tls ? "https://" : "http://").append(host.toLowerCase(Locale.ROOT));
        key.append(uri, target.pathStart(), target.pathEnd());
        if (target.queryStart() >= 0)
        {
            key.append('?');
            final String query = uri.substring(target.queryStart(), target.queryEnd());
            key.append(normaliseQuery ? normalised(query) : query);
        }
        for (final String header : headers)
        {
            key.append('\n').append(header).append(": ").append(joined(request.headers(), header));
        }
        return key.toString();
    }

    /** The path of a key (for a purge by prefix): what follows the authority, up to the query or the headers. */
    static String path(final String key)
    {
        final int authority = key.indexOf("://") + 3;
        final int path = key.indexOf('/', authority);
        if (path < 0)
        {
            return "";
        }
        int end = path;
        while (end < key.length() && key.charAt(end) != '?' && key.charAt(end) != '\n')
        {
            end++;
        }
        return key.substring(path, end);
    }

    /** Parameters in order, so {@code b=2&a=1} and {@code a=1&b=2} are one key; empty ones dropped. */
    private static String normalised(final String query)
    {
        final String[] parameters = Arrays.stream(query.split("&")).filter(parameter -> !parameter.isEmpty()).sorted()
            .toArray(String[]::new);
        return String.join("&", parameters);
    }

    /**
     * Every field of that name as one value, list elements trimmed (RFC 9111 4.1: the values are
     * compared after combining fields and normalising whitespace), or the empty string when absent.
     */
    static String joined(final HttpHeaders headers, final String name)
    {
        final List<String> values = headers.getAll(name);
        if (values.isEmpty())
        {
            return "";
        }
        final StringBuilder joined = new StringBuilder();
        for (final String value : values)
        {
            for (final String element : value.split(","))
            {
                if (!joined.isEmpty())
                {
                    joined.append(',');
                }
                joined.append(element.strip());
            }
        }
        return joined.toString();
    }
}
