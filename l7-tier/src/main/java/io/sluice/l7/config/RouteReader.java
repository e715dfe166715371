package io.sluice.l7.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code routes}: read after the pools, so every {@code to} can be checked against them. */
final class RouteReader
{
    /** The weight of {@code to: POOL} and of a {@code { pool }} without one: equal shares. */
    static final int DEFAULT_POOL_WEIGHT = 100;

    private RouteReader()
    {
    }

    /** @param sharedStore whether the file has a store for global rate limits (the top-level {@code redis:}). */
    static List<Route> routes(final ConfigNode node, final Set<String> poolNames, final boolean sharedStore)
    {
        final List<Route> routes = new ArrayList<>();
        final FirstUses<String> names = new FirstUses<>();
        ConfigNode takesEverything = null;
        // The first route that matches on claims with no route after it yet that could prove them (see Router#routeAgain).
        ConfigNode claimsWithoutIdentity = null;
        for (final ConfigNode item : node.nonEmptyList("route"))
        {
            if (takesEverything != null)
            {
                // First match wins, so this route could never be chosen: almost surely an ordering mistake.
                throw item.error("never reached: " + takesEverything.path() + " before it matches every request");
            }
            final ConfigMapping fields = item.mapping("name", "match", "rewrite", "request_headers", "response_headers",
                "filters", "rate_limit", "compress", "max_body", "cache", "auth", "to");
            final ConfigNode nameNode = fields.required("name");
            final String name = nameNode.parse(HttpSyntax::name);
            names.claim(name, nameNode, item, "'" + name + "'");
            final ConfigNode matchNode = fields.optional("match");
            final Match match = matchNode == null ? Match.ANY : MatchReader.match(matchNode);
            final ConfigNode rewriteNode = fields.optional("rewrite");
            final Rewrite rewrite = rewriteNode == null ? null : FilterReader.rewrite(rewriteNode, match);
            final HeaderRules requestHeaders = FilterReader.headerRules(fields.optional("request_headers"));
            final HeaderRules responseHeaders = FilterReader.headerRules(fields.optional("response_headers"));
            final ConfigNode filtersNode = fields.optional("filters");
            final List<RouteFilter> filters = new ArrayList<>();
            if (filtersNode != null)
            {
                filters.addAll(FilterReader.filters(filtersNode, match));
            }
            final ConfigNode rateLimitNode = fields.optional("rate_limit");
            if (rateLimitNode != null)
            {
                // Before compress and cache: a request over its limit costs neither; after the filters
                // list, so a limit keyed on the identity sees the one an authentication filter set.
                filters.add(RateLimitReader.rateLimit(rateLimitNode, name, sharedStore));
            }
            final ConfigNode compressNode = fields.optional("compress");
            if (compressNode != null)
            {
                filters.add(CompressReader.compress(compressNode)); // after the others: it compresses what they made
            }
            if (filters.stream().filter(RouteFilter.Compress.class::isInstance).count() > 1)
            {
                throw item.error("compresses twice (compress: and a compress filter): give it once");
            }
            final ConfigNode cacheNode = fields.optional("cache");
            if (cacheNode != null)
            {
                // Last: its key is the request the other filters made, and it stores the response they made
                // (compressed, when the route compresses: a variant per Accept-Encoding, through Vary).
                filters.add(new RouteFilter.Cache(CacheReader.cache(cacheNode)));
            }
            final ConfigNode authNode = fields.optional("auth");
            final AuthSettings auth = authNode == null ? null : AuthReader.auth(authNode);
            if (auth != null)
            {
                filters.add(new RouteFilter.Auth(auth)); // FilterChain.of runs it before any other
            }
            if (!match.claims().isEmpty() && auth != null)
            {
                throw authNode.error("a route that matches on claims takes the identity of the route that authenticated the "
                    + "request: it cannot have auth: of its own");
            }
            claimsWithoutIdentity = auth != null && auth.jwt() != null ? null
                : claimsWithoutIdentity == null && !match.claims().isEmpty() ? matchNode : claimsWithoutIdentity;
            final ConfigNode maxBodyNode = fields.optional("max_body");
            final Long maxBody = maxBodyNode == null ? null : LimitsReader.maxBody(maxBodyNode);
            final List<Route.WeightedPool> to = to(fields.required("to"), poolNames);
            routes.add(new Route(name, match, to, rewrite, requestHeaders, responseHeaders, maxBody, filters));
            if (match.equals(Match.ANY))
            {
                takesEverything = item;
            }
        }
        if (claimsWithoutIdentity != null)
        {
            throw claimsWithoutIdentity.error("matches on claims, but no route after it has auth: { jwt: ... }: no request "
                + "could come to it with claims");
        }
        return routes;
    }

    /** A pool's name, or a list of {@code { pool, weight }}. */
    private static List<Route.WeightedPool> to(final ConfigNode node, final Set<String> poolNames)
    {
        if (node.isScalar())
        {
            return List.of(new Route.WeightedPool(poolName(node, poolNames), DEFAULT_POOL_WEIGHT));
        }
        if (!node.isList())
        {
            throw node.error("expected a pool name or a list of { pool, weight }, found " + node.describe());
        }
        final List<Route.WeightedPool> to = new ArrayList<>();
        final FirstUses<String> pools = new FirstUses<>();
        for (final ConfigNode item : node.nonEmptyList("pool"))
        {
            final ConfigMapping fields = item.mapping("pool", "weight");
            final ConfigNode poolNode = fields.required("pool");
            final String pool = poolName(poolNode, poolNames);
            pools.claim(pool, poolNode, item, "'" + pool + "'");
            final ConfigNode weightNode = fields.optional("weight");
            final int weight = weightNode == null ? DEFAULT_POOL_WEIGHT : weightNode.integer(1, 65535);
            to.add(new Route.WeightedPool(pool, weight));
        }
        return to;
    }

    private static String poolName(final ConfigNode node, final Set<String> poolNames)
    {
        final String pool = node.text();
        if (!poolNames.contains(pool))
        {
            throw node.error("no pool named '" + pool + "'");
        }
        return pool;
    }
}
