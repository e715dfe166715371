package io.sluice.l7.route;

import io.netty.util.AsciiString;
import io.sluice.l7.config.ValueMatch;

import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A condition on a named value of a request (a header, a cookie, a query parameter): present, an
 * exact value, or a regular expression matching the whole value. A request may carry several
 * values under one name (repeated headers, cookies or parameters); one accepted value is enough.
 * A header's value is taken line by line, not split at commas, since commas occur inside values
 * (dates, user agents).
 */
final class ValueMatcher
{
    private final String name;
    /** The name as a header name: AsciiString caches its case-insensitive hash for header lookups. */
    private final AsciiString headerName;
    private final ValueMatch.Kind kind;
    private final String value;
    private final Pattern pattern;

    ValueMatcher(final ValueMatch match)
    {
        name = match.name();
        headerName = AsciiString.cached(match.name());
        kind = match.kind();
        value = match.value();
        pattern = kind != ValueMatch.Kind.REGEX ? null : match.pattern() != null ? match.pattern() : Pattern.compile(match.value());
        if (kind == ValueMatch.Kind.EXACT && value == null)
        {
            throw new IllegalArgumentException("'" + name + "': an exact match needs a value");
        }
    }

    String name()
    {
        return name;
    }

    AsciiString headerName()
    {
        return headerName;
    }

    boolean accepts(final String candidate)
    {
        return switch (kind)
        {
            case PRESENT -> true;
            case EXACT -> value.equals(candidate);
            case REGEX -> pattern.matcher(candidate).matches();
        };
    }

    boolean acceptsAny(final Iterator<String> candidates)
    {
        while (candidates.hasNext())
        {
            if (accepts(candidates.next()))
            {
                return true;
            }
        }
        return false;
    }

    boolean acceptsAny(final List<String> candidates)
    {
        if (candidates == null)
        {
            return false;
        }
        for (int i = 0; i < candidates.size(); i++)
        {
            if (accepts(candidates.get(i)))
            {
                return true;
            }
        }
        return false;
    }
}
