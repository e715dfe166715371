package io.sluice.l7.auth;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AsciiString;
import io.sluice.l7.config.AuthSettings;
import io.sluice.l7.filter.FilterContext;
import io.sluice.l7.metrics.AuthMetrics;
import io.sluice.l7.metrics.AuthRefusal;

import java.util.List;

/**
 * Where a route looks for a request's credential, as its {@code token:} (or an API key's
 * {@code header:} / {@code query:}) says: a header (for {@code Authorization}, its
 * {@code Bearer} credentials), a cookie or a query parameter; and how the credential is taken out
 * of the request before it goes to the backend. Cookies and the query are read and rewritten as
 * text, so whatever else the client sent in them goes on byte for byte.
 */
final class CredentialLocation
{
    /** What {@link #find} gives for a credential that is there more than once (compared by identity). */
    private static final String REPEATED = new String("repeated");

    private static final String BEARER = "Bearer ";

    private final String scheme;
    private final String realm;
    private final AsciiString header;
    private final boolean bearer;
    private final String cookie;
    private final String query;

    /**
     * @param scheme the authentication scheme the route's challenges name ({@code Bearer}, {@code ApiKey}).
     * @param realm  the realm they name: the route.
     */
    CredentialLocation(final AuthSettings.TokenSource source, final String scheme, final String realm)
    {
        this.scheme = scheme;
        this.realm = realm;
        header = source.header() == null ? null : AsciiString.cached(source.header());
        bearer = header != null && header.contentEqualsIgnoreCase(HttpHeaderNames.AUTHORIZATION);
        cookie = source.cookie();
        query = source.query();
    }

    /**
     * The credential as the client sent it; null when it sent none (answered 401, a challenge without an error code)
     * or several (answered 400), the refusal counted.
     */
    String findOrAnswer(final HttpRequest request, final FilterContext context, final AuthMetrics.Route metrics)
    {
        final String credential = find(request);
        if (credential == null)
        {
            metrics.refused(AuthRefusal.MISSING);
            context.answer(AuthAnswers.missing(scheme, realm));
            return null;
        }
        if (credential == REPEATED)
        {
            metrics.refused(AuthRefusal.REPEATED);
            context.answer(AuthAnswers.badRequest(scheme, realm, "more than one credential"));
            return null;
        }
        return credential;
    }

    /** The credential as the client sent it; null when there is none, {@link #REPEATED} when there are several. */
    private String find(final HttpRequest request)
    {
        if (header != null)
        {
            return fromHeader(request.headers());
        }
        return cookie != null ? fromCookies(request.headers()) : fromQuery(request.uri());
    }

    /** Takes the credential out of the request: the header, the cookie or the query parameter. */
    void remove(final HttpRequest request)
    {
        if (header != null)
        {
            request.headers().remove(header);
        }
        else if (cookie != null)
        {
            removeCookie(request.headers());
        }
        else
        {
            request.setUri(withoutParameter(request.uri()));
        }
    }

    private String fromHeader(final HttpHeaders headers)
    {
        final List<String> values = headers.getAll(header);
        if (values.isEmpty())
        {
            return null;
        }
        if (values.size() > 1)
        {
            return REPEATED;
        }
        final String value = values.getFirst();
        if (!bearer)
        {
            return value;
        }
        // Another scheme (Basic, say) is no credential of ours: answered as a missing token.
        return value.regionMatches(true, 0, BEARER, 0, BEARER.length()) ? value.substring(BEARER.length()).strip() : null;
    }

    private String fromCookies(final HttpHeaders headers)
    {
        String found = null;
        for (final String line : headers.getAll(HttpHeaderNames.COOKIE))
        {
            for (final String pair : line.split(";"))
            {
                final String trimmed = pair.strip();
                if (isCookie(trimmed))
                {
                    if (found != null)
                    {
                        return REPEATED;
                    }
                    final String value = trimmed.substring(cookie.length() + 1);
                    found = value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ?
                        value.substring(1, value.length() - 1) : value;
                }
            }
        }
        return found;
    }

    private boolean isCookie(final String pair)
    {
        return pair.length() > cookie.length() && pair.charAt(cookie.length()) == '=' && pair.startsWith(cookie);
    }

    private void removeCookie(final HttpHeaders headers)
    {
        final StringBuilder kept = new StringBuilder();
        for (final String line : headers.getAll(HttpHeaderNames.COOKIE))
        {
            for (final String pair : line.split(";"))
            {
                final String trimmed = pair.strip();
                if (!trimmed.isEmpty() && !isCookie(trimmed))
                {
                    kept.append(kept.isEmpty() ? "" : "; ").append(trimmed);
                }
            }
        }
        headers.remove(HttpHeaderNames.COOKIE);
        if (!kept.isEmpty())
        {
            headers.set(HttpHeaderNames.COOKIE, kept.toString());
        }
    }

    private String fromQuery(final String uri)
    {
        final int start = uri.indexOf('?');
        if (start < 0)
        {
            return null;
        }
        String found = null;
        for (final String parameter : uri.substring(start + 1).split("&"))
        {
            if (isParameter(parameter))
            {
                if (found != null)
                {
                    return REPEATED;
                }
                final int equals = parameter.indexOf('=');
                found = equals < 0 ? "" : QueryStringDecoder.decodeComponent(parameter.substring(equals + 1));
            }
        }
        return found;
    }

    private boolean isParameter(final String parameter)
    {
        final int equals = parameter.indexOf('=');
        return query.equals(QueryStringDecoder.decodeComponent(equals < 0 ? parameter : parameter.substring(0, equals)));
    }

    private String withoutParameter(final String uri)
    {
        final int start = uri.indexOf('?');
        if (start < 0)
        {
            return uri;
        }
        final StringBuilder kept = new StringBuilder();
        for (final String parameter : uri.substring(start + 1).split("&"))
        {
            if (!isParameter(parameter))
            {
                kept.append(kept.isEmpty() ? "" : "&").append(parameter);
            }
        }
        return kept.isEmpty() ? uri.substring(0, start) : uri.substring(0, start + 1) + kept;
    }
}
