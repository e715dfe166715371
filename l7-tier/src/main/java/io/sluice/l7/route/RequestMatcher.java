package io.sluice.l7.route;

import io.netty.handler.codec.http.cookie.Cookie;
import io.sluice.l7.config.Match;
import io.sluice.l7.filter.Identity;
import io.sluice.l7.config.PathMatch;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A route's {@link Match}, compiled: every condition given must hold. The cheap conditions
 * (method, path, host) are tried first, so a route that fails on them never costs a header
 * lookup, and the query string and cookies are decoded only when a route gets as far as them.
 * Claims are the identity's, not the request's: a matcher with claims takes no request without one.
 */
final class RequestMatcher
{
    private final Set<String> methods;
    private final PathMatch.Kind pathKind;
    private final String pathValue;
    private final Pattern pathPattern;
    private final HostMatcher host;
    private final ValueMatcher[] headers;
    private final ValueMatcher[] query;
    private final ValueMatcher[] cookies;
    private final ValueMatcher[] claims;

    RequestMatcher(final Match match)
    {
        methods = match.methods();
        final PathMatch path = match.path();
        pathKind = path == null ? null : path.kind();
        pathValue = path == null ? null : path.value();
        pathPattern = pathKind != PathMatch.Kind.REGEX ? null : path.pattern() != null ? path.pattern() : Pattern.compile(path.value());
        host = HostMatcher.of(match.host());
        headers = compile(match.headers());
        query = compile(match.query());
        cookies = compile(match.cookies());
        claims = compile(match.claims());
    }

    private static ValueMatcher[] compile(final List<io.sluice.l7.config.ValueMatch> matches)
    {
        return matches.stream().map(ValueMatcher::new).toArray(ValueMatcher[]::new);
    }

    /** The configured path prefix when the path condition is a prefix; else null. */
    String pathPrefix()
    {
        return pathKind == PathMatch.Kind.PREFIX ? pathValue : null;
    }

    /** Whether it needs an identity's claims: then only {@link #matches(RequestView, Identity)} can take a request. */
    boolean needsClaims()
    {
        return claims.length > 0;
    }

    /** The request and the claims of who it is from, as an authentication filter proved it. */
    boolean matches(final RequestView request, final Identity identity)
    {
        for (final ValueMatcher claim : claims)
        {
            final String value = identity.claims().get(claim.name());
            if (value == null || !claim.accepts(value))
            {
                return false;
            }
        }
        return requestMatches(request);
    }

    /** The request alone: never for a matcher that {@link #needsClaims}. */
    boolean matches(final RequestView request)
    {
        return claims.length == 0 && requestMatches(request);
    }

    private boolean requestMatches(final RequestView request)
    {
        if (!methods.isEmpty() && !methods.contains(request.method()))
        {
            return false;
        }
        if (pathKind != null && !pathMatches(request))
        {
            return false;
        }
        if (host != null && !host.matches(request.host()))
        {
            return false;
        }
        for (final ValueMatcher header : headers)
        {
            if (!header.acceptsAny(request.request().headers().valueStringIterator(header.headerName())))
            {
                return false;
            }
        }
        for (final ValueMatcher parameter : query)
        {
            if (!parameter.acceptsAny(request.queryParameters().get(parameter.name())))
            {
                return false;
            }
        }
        for (final ValueMatcher cookie : cookies)
        {
            if (!anyCookie(request.cookies(), cookie))
            {
                return false;
            }
        }
        return true;
    }

    private boolean pathMatches(final RequestView request)
    {
        return switch (pathKind)
        {
            case EXACT -> request.pathEquals(pathValue);
            case PREFIX -> request.pathStartsWith(pathValue);
            case REGEX -> pathPattern.matcher(request.path()).matches();
        };
    }

    private static boolean anyCookie(final List<Cookie> cookies, final ValueMatcher matcher)
    {
        for (int i = 0; i < cookies.size(); i++)
        {
            final Cookie cookie = cookies.get(i);
            if (cookie.name().equals(matcher.name()) && matcher.accepts(cookie.value()))
            {
                return true;
            }
        }
        return false;
    }
}
