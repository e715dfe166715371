package io.sluice.l7.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A route's {@code filters:}, a list of { NAME: ARGUMENT } in the order they apply, and the
 * arguments of the filters a route may also give by key ({@code rewrite},
 * {@code request_headers}, {@code response_headers}): one reader for both spellings.
 */
final class FilterReader
{
    /** The filters a route may name, in the order the refusal of an unknown one lists them. */
    static final List<String> NAMES = List.of("request_headers", "response_headers", "rewrite", "client_cert_headers",
        "compress");

    private FilterReader()
    {
    }

    /** {@code filters: [{ request_headers: {...} }, { rewrite: {...} }, ...]}; an empty list names none. */
    static List<RouteFilter> filters(final ConfigNode node, final Match match)
    {
        final List<RouteFilter> filters = new ArrayList<>();
        for (final ConfigNode item : node.list())
        {
            final List<ConfigNode.Entry> entries = item.isMapping() ? item.entries() : List.of();
            if (entries.size() != 1)
            {
                throw item.error("expected one filter as { NAME: ARGUMENT } (NAME one of " + String.join(", ", NAMES) +
                    "), found " + item.describe());
            }
            final ConfigNode.Entry entry = entries.getFirst();
            filters.add(switch (entry.name())
            {
                case "request_headers" -> new RouteFilter.RequestHeaders(headerRules(entry.value()));
                case "response_headers" -> new RouteFilter.ResponseHeaders(headerRules(entry.value()));
                case "rewrite" -> new RouteFilter.PathRewrite(rewrite(entry.value(), match));
                case "client_cert_headers" -> clientCertificateHeaders(entry.value());
                case "compress" -> CompressReader.compress(entry.value());
                default -> throw entry.key().error("unknown filter; known filters: " + String.join(", ", NAMES));
            });
        }
        return filters;
    }

    /** {@code { subject: NAME, sans: NAME }}, at least one, two different header names. */
    private static RouteFilter.ClientCertificateHeaders clientCertificateHeaders(final ConfigNode node)
    {
        final ConfigMapping fields = node.mapping("subject", "sans");
        final ConfigNode subject = fields.optional("subject");
        final ConfigNode sans = fields.optional("sans");
        if (subject == null && sans == null)
        {
            throw node.error("needs subject: HEADER, sans: HEADER or both");
        }
        final String subjectName = subject == null ? null : subject.parse(HttpSyntax::headerName);
        final String sansName = sans == null ? null : sans.parse(HttpSyntax::headerName);
        if (subjectName != null && subjectName.equalsIgnoreCase(sansName))
        {
            throw sans.error("'" + sansName + "' is subject's header too");
        }
        return new RouteFilter.ClientCertificateHeaders(subjectName, sansName);
    }

    /** {@code { prefix: P }} (with a prefix path match), or {@code { regex: RE, substitution: S }}. */
    static Rewrite rewrite(final ConfigNode node, final Match match)
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
    static HeaderRules headerRules(final ConfigNode node)
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
