package io.sluice.l7.route;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.sluice.l7.config.HeaderRules;
import io.sluice.l7.config.Match;
import io.sluice.l7.config.PathMatch;
import io.sluice.l7.config.Rewrite;
import io.sluice.l7.config.Route;
import io.sluice.l7.config.ValueMatch;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Builders for the configuration records and requests the route tests use. */
final class Routes
{
    private Routes()
    {
    }

    static Route route(final String name, final Match match)
    {
        return new Route(name, match, List.of(new Route.WeightedPool(name + "-pool", 1)), null, HeaderRules.NONE, HeaderRules.NONE, null);
    }

    static Route route(final String name, final Match match, final Rewrite rewrite)
    {
        return new Route(name, match, List.of(new Route.WeightedPool(name + "-pool", 1)), rewrite, HeaderRules.NONE, HeaderRules.NONE,
            null);
    }

    static Match host(final String host)
    {
        return new Match(host, null, Set.of(), List.of(), List.of(), List.of());
    }

    static Match path(final PathMatch path)
    {
        return new Match(null, path, Set.of(), List.of(), List.of(), List.of());
    }

    static Match methods(final String... methods)
    {
        return new Match(null, null, Set.of(methods), List.of(), List.of(), List.of());
    }

    static Match headers(final ValueMatch... headers)
    {
        return new Match(null, null, Set.of(), List.of(headers), List.of(), List.of());
    }

    static Match cookies(final ValueMatch... cookies)
    {
        return new Match(null, null, Set.of(), List.of(), List.of(cookies), List.of());
    }

    static Match query(final ValueMatch... query)
    {
        return new Match(null, null, Set.of(), List.of(), List.of(), List.of(query));
    }

    static PathMatch exact(final String path)
    {
        return new PathMatch(PathMatch.Kind.EXACT, path, null);
    }

    static PathMatch prefix(final String prefix)
    {
        return new PathMatch(PathMatch.Kind.PREFIX, prefix, null);
    }

    static PathMatch regex(final String regex)
    {
        return new PathMatch(PathMatch.Kind.REGEX, regex, Pattern.compile(regex));
    }

    static ValueMatch present(final String name)
    {
        return new ValueMatch(name, ValueMatch.Kind.PRESENT, null, null);
    }

    static ValueMatch exactValue(final String name, final String value)
    {
        return new ValueMatch(name, ValueMatch.Kind.EXACT, value, null);
    }

    static ValueMatch regexValue(final String name, final String regex)
    {
        return new ValueMatch(name, ValueMatch.Kind.REGEX, regex, Pattern.compile(regex));
    }

    static HttpRequest get(final String uri)
    {
        return request(HttpMethod.GET, uri);
    }

    static HttpRequest get(final String host, final String uri)
    {
        final HttpRequest request = request(HttpMethod.GET, uri);
        request.headers().set("Host", host);
        return request;
    }

    static HttpRequest request(final HttpMethod method, final String uri)
    {
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri);
    }
}
