package io.sluice.l7.config;

import java.util.regex.Pattern;

/**
 * A condition on one named value of a request (a header, a cookie, a query parameter).
 *
 * @param name    which value.
 * @param kind    present (any value), exact, or regex (whole value).
 * @param value   the exact value or the regular expression's source; null for present.
 * @param pattern compiled, for {@link Kind#REGEX}; else null.
 */
public record ValueMatch(String name, Kind kind, String value, Pattern pattern)
{
    public enum Kind
    {
        PRESENT, EXACT, REGEX
    }
}
