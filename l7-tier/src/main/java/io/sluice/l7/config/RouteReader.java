package io.sluice.l7.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** {@code routes}: read after the pools, so every {@code to} can be checked against them. */
final class RouteReader
{
    /** The weight of {@code to: POOL} and of a {@code { pool }} without one: equal shares. */
    static final int DEFAULT_POOL_WEIGHT = 100;

    private RouteReader()
    {
    }

    static List<Route> routes(final ConfigNode node, final Set<String> poolNames)
    {
        final List<Route> routes = new ArrayList<>();
        final FirstUses<String> names = new FirstUses<>();
        ConfigNode takesEverything = null;
        for (final ConfigNode item : node.nonEmptyList("route"))
        {
            if (takesEverything != null)
            {
                // First match wins, so this route could never be chosen: almost surely an ordering mistake.
                throw item.error("never reached: " + takesEverything.path() + " before it matches every request");
            }
            final ConfigMapping fields = item.mapping("name", "match", "rewrite", "request_headers", "response_headers", "max_body", "to");
            final ConfigNode nameNode = fields.required("name");
            final String name = nameNode.parse(HttpSyntax::name);
            names.claim(name, nameNode, item, "'" + name + "'");
            final ConfigNode matchNode = fields.optional("match");
            final Match match = matchNode == null ? Match.ANY : MatchReader.match(matchNode);
            final ConfigNode rewriteNode = fields.optional("rewrite");
            final Rewrite rewrite = rewriteNode == null ? null : rewrite(rewriteNode, match);
            final HeaderRules requestHeaders = headerRules(fields.optional("request_headers"));
            final HeaderRules responseHeaders = headerRules(fields.optional("response_headers"));
            final ConfigNode maxBodyNode = fields.optional("max_body");
            final Long maxBody = maxBodyNode == null ? null : LimitsReader.maxBody(maxBodyNode);
            final List<Route.WeightedPool> to = to(fields.required("to"), poolNames);
            routes.add(new Route(name, match, to, rewrite, requestHeaders, responseHeaders, maxBody));
            if (match.equals(Match.ANY))
            {
                takesEverything = item;
            }
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

    /** {@code { prefix: P }} (with a prefix path match), or {@code { regex: RE, substitution: S }}. */
    private static Rewrite rewrite(final ConfigNode node, final Match match)
    {
        final ConfigMapping fields = node.mapping("prefix", "regex", "substitution");
        if (fields.has("prefix"))
        {
            if (fields.has("regex") || fields.has("substitution"))
            {
                throw fields.key(fields.has("regex") ? "regex" : "substitution").error("not with prefix: a rewrite is one or the other");
            }
            final ConfigNode prefixNode = fields.required("prefix");
            if (match.path() == null || match.path().kind() != PathMatch.Kind.PREFIX)
            {
                // Without a matched prefix there is nothing for this one to replace.
                throw prefixNode.error("needs a path prefix match (match.path.prefix)");
            }
            return new Rewrite(prefixNode.parse(HttpSyntax::path), null, null);
        }
        if (fields.has("regex"))
        {
            final Pattern regex = fields.required("regex").parse(Regexes::compile);
            final String substitution = fields.required("substitution").parse(text -> Regexes.checkSubstitution(regex, text));
            return new Rewrite(null, regex, substitution);
        }
        if (fields.has("substitution"))
        {
            throw fields.key("substitution").error("only with regex");
        }
        throw node.error("needs { prefix: PATH } or { regex: RE, substitution: TEXT }");
    }

    /** {@code { set: { NAME: VALUE }, remove: [NAME] }}, both optional; names keep the file's spelling. */
    private static HeaderRules headerRules(final ConfigNode node)
    {
        if (node == null)
        {
            return HeaderRules.NONE;
        }
        final ConfigMapping fields = node.mapping("set", "remove");
        final Map<String, String> set = new LinkedHashMap<>();
        final ConfigNode setNode = fields.optional("set");
        if (setNode != null)
        {
            final FirstUses<String> names = new FirstUses<>();
            for (final ConfigNode.Entry entry : setNode.entries())
            {
                final String name = entry.key().parse(HttpSyntax::headerName);
                // X-Env and x-env are the same header: setting both leaves one value, which is not the file's.
                names.claim(name.toLowerCase(Locale.ROOT), entry.key(), entry.key(), "'" + name + "'");
                set.put(name, entry.value().parse(HttpSyntax::headerValue));
            }
        }
        final List<String> remove = new ArrayList<>();
        final ConfigNode removeNode = fields.optional("remove");
        if (removeNode != null)
        {
            for (final ConfigNode item : removeNode.list())
            {
                remove.add(item.parse(HttpSyntax::headerName));
            }
        }
        return new HeaderRules(set, remove);
    }
}
