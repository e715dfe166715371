package io.sluice.l7.config;

import java.util.List;
import java.util.Set;

/**
 * What a request must have for a route to take it; every condition given must hold (an absent
 * one always does).
 *
 * @param host    the Host header without its port, compared case-insensitively: exact
 *                ({@code api.example.com}) or a leading wildcard ({@code *.example.com}, one
 *                or more labels); null for any host.
 * @param path    null for any path.
 * @param methods upper case; empty for any method.
 * @param headers by case-insensitive name.
 * @param cookies by exact name, from the Cookie header.
 * @param query   by exact name, from the decoded query string.
 * @param claims  by exact name, from the identity the request's authentication proved (a JWT's scalar claims): a
 *                route with claims takes no request before an authentication filter set an identity
 *                ({@code io.sluice.l7.route.Router#routeAgain}).
 */
public record Match(
    String host, PathMatch path, Set<String> methods, List<ValueMatch> headers, List<ValueMatch> cookies, List<ValueMatch> query,
    List<ValueMatch> claims)
{
    public static final Match ANY = new Match(null, null, Set.of(), List.of(), List.of(), List.of());

    public Match
    {
        methods = Set.copyOf(methods);
        headers = List.copyOf(headers);
        cookies = List.copyOf(cookies);
        query = List.copyOf(query);
        claims = List.copyOf(claims);
    }

    /** A match on the request alone, no claims. */
    public Match(final String host, final PathMatch path, final Set<String> methods, final List<ValueMatch> headers,
        final List<ValueMatch> cookies, final List<ValueMatch> query)
    {
        this(host, path, methods, headers, cookies, query, List.of());
    }
}
