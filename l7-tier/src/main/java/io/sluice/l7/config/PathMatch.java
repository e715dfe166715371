package io.sluice.l7.config;

import java.util.regex.Pattern;

/**
 * How a request's path (without the query string) must look.
 *
 * @param kind    exact, prefix, or regex (which must match the whole path).
 * @param value   the path, the prefix, or the regular expression's source.
 * @param pattern the compiled regular expression, for {@link Kind#REGEX}; else null.
 */
public record PathMatch(Kind kind, String value, Pattern pattern)
{
    public enum Kind
    {
        EXACT, PREFIX, REGEX
    }
}
