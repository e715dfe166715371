package io.sluice.l7.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/** A route's {@code match}. */
final class MatchReader
{
    /** {@code api.example.com}, {@code *.example.com}, or a bracketed IPv6 literal as a Host header carries it. */
    private static final Pattern HOST = Pattern.compile("(\\*\\.)?[a-z0-9_\\-]+(\\.[a-z0-9_\\-]+)*|\\[[0-9a-f:.]+]");

    private MatchReader()
    {
    }

    static Match match(final ConfigNode node)
    {
        final ConfigMapping fields = node.mapping("host", "path", "methods", "headers", "cookies", "query", "claims");
        final ConfigNode hostNode = fields.optional("host");
        final ConfigNode pathNode = fields.optional("path");
        final ConfigNode methodsNode = fields.optional("methods");
        final ConfigNode headersNode = fields.optional("headers");
        final ConfigNode cookiesNode = fields.optional("cookies");
        final ConfigNode queryNode = fields.optional("query");
        final ConfigNode claimsNode = fields.optional("claims");
        return new Match(
            hostNode == null ? null : hostNode.parse(MatchReader::host),
            pathNode == null ? null : path(pathNode),
            methodsNode == null ? Set.of() : methods(methodsNode),
            // Header names are case-insensitive: one spelling lets the router look them up directly.
            headersNode == null ? List.of() : values(headersNode, text -> HttpSyntax.headerName(text).toLowerCase(Locale.ROOT)),
            cookiesNode == null ? List.of() : values(cookiesNode, text -> HttpSyntax.token(text, "a cookie name")),
            queryNode == null ? List.of() : values(queryNode, text -> nonEmpty(text, "a query parameter name")),
            claimsNode == null ? List.of() : values(claimsNode, text -> nonEmpty(text, "a claim name")));
    }

    private static String host(final String text)
    {
        final String host = text.toLowerCase(Locale.ROOT);
        if (!HOST.matcher(host).matches())
        {
            final boolean hasPort = host.matches(".*[a-z0-9\\]]:[0-9]+");
            throw new IllegalArgumentException("'" + text + "' is not a host name or *.domain"
                + (hasPort ? " (leave the port out: the match ignores the Host header's port)" : ""));
        }
        return host;
    }

    private static PathMatch path(final ConfigNode node)
    {
        final ConfigMapping fields = node.mapping("exact", "prefix", "regex");
        final int given = (fields.has("exact") ? 1 : 0) + (fields.has("prefix") ? 1 : 0) + (fields.has("regex") ? 1 : 0);
        if (given != 1)
        {
            throw node.error("needs exactly one of exact, prefix, regex");
        }
        if (fields.has("exact"))
        {
            return new PathMatch(PathMatch.Kind.EXACT, fields.required("exact").parse(HttpSyntax::path), null);
        }
        if (fields.has("prefix"))
        {
            return new PathMatch(PathMatch.Kind.PREFIX, fields.required("prefix").parse(HttpSyntax::path), null);
        }
        final ConfigNode regexNode = fields.required("regex");
        return new PathMatch(PathMatch.Kind.REGEX, regexNode.text(), regexNode.parse(Regexes::compile));
    }

    private static Set<String> methods(final ConfigNode node)
    {
        final Set<String> methods = new LinkedHashSet<>();
        // An empty list reads as "no method" but would mean "any": refuse the ambiguity.
        for (final ConfigNode item : node.nonEmptyList("method (leave methods out for any)"))
        {
            methods.add(item.parse(text -> HttpSyntax.token(text, "a method")).toUpperCase(Locale.ROOT));
        }
        return methods;
    }

    /**
     * {@code NAME: VALUE} conditions: a scalar is an exact value, or one of
     * {@code { exact: V }}, {@code { regex: RE }}, {@code { present: true }}.
     *
     * @param nameRule checks a name and returns it as the router should look it up.
     */
    private static List<ValueMatch> values(final ConfigNode node, final UnaryOperator<String> nameRule)
    {
        final List<ValueMatch> matches = new ArrayList<>();
        final FirstUses<String> names = new FirstUses<>();
        for (final ConfigNode.Entry entry : node.entries())
        {
            final String name = entry.key().parse(nameRule);
            // Catches X-Canary next to x-canary, which YAML sees as two keys.
            names.claim(name, entry.key(), entry.key(), "'" + name + "'");
            matches.add(value(name, entry.value()));
        }
        return matches;
    }

    private static ValueMatch value(final String name, final ConfigNode node)
    {
        if (node.isScalar())
        {
            return new ValueMatch(name, ValueMatch.Kind.EXACT, node.text(), null);
        }
        if (!node.isMapping())
        {
            throw node.error("expected a value, { exact: V }, { regex: RE } or { present: true }, found " + node.describe());
        }
        final ConfigMapping fields = node.mapping("exact", "regex", "present");
        final int given = (fields.has("exact") ? 1 : 0) + (fields.has("regex") ? 1 : 0) + (fields.has("present") ? 1 : 0);
        if (given != 1)
        {
            throw node.error("needs exactly one of exact, regex, present");
        }
        if (fields.has("exact"))
        {
            return new ValueMatch(name, ValueMatch.Kind.EXACT, fields.required("exact").text(), null);
        }
        if (fields.has("regex"))
        {
            final ConfigNode regexNode = fields.required("regex");
            return new ValueMatch(name, ValueMatch.Kind.REGEX, regexNode.text(), regexNode.parse(Regexes::compile));
        }
        final ConfigNode presentNode = fields.required("present");
        if (!presentNode.bool())
        {
            throw presentNode.error("only present: true (a match cannot require a value to be absent)");
        }
        return new ValueMatch(name, ValueMatch.Kind.PRESENT, null, null);
    }

    private static String nonEmpty(final String text, final String what)
    {
        if (text.isEmpty())
        {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return text;
    }
}
