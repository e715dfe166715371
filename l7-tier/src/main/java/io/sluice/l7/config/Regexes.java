package io.sluice.l7.config;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Regular expressions from the file, compiled at load time so a bad one is refused with its
 * line instead of failing on the first request that reaches it.
 */
final class Regexes
{
    private Regexes()
    {
    }

    /** @throws IllegalArgumentException with the regex engine's description of the problem. */
    static Pattern compile(final String source)
    {
        try
        {
            return Pattern.compile(source);
        }
        catch (final PatternSyntaxException ex)
        {
            final String where = ex.getIndex() >= 0 ? " at index " + ex.getIndex() : "";
            throw new IllegalArgumentException("'" + source + "' is not a regular expression: " + ex.getDescription() + where);
        }
    }

    /**
     * Checks a replacement the way {@link java.util.regex.Matcher#replaceAll(String)} will read
     * it ({@code $1}, {@code ${name}}, {@code \} escapes), because Java only complains about a
     * group the regex lacks when a request first matches.
     *
     * @throws IllegalArgumentException naming the bad reference.
     */
    static String checkSubstitution(final Pattern regex, final String substitution)
    {
        final int groups = regex.matcher("").groupCount();
        int i = 0;
        while (i < substitution.length())
        {
            final char c = substitution.charAt(i++);
            if (c == '\\')
            {
                if (i == substitution.length())
                {
                    throw new IllegalArgumentException("ends with a lone '\\' (write \\\\ for a backslash)");
                }
                i++;
            }
            else if (c == '$')
            {
                if (i < substitution.length() && substitution.charAt(i) == '{')
                {
                    final int close = substitution.indexOf('}', i);
                    if (close < 0)
                    {
                        throw new IllegalArgumentException("'${' without a closing '}'");
                    }
                    final String name = substitution.substring(i + 1, close);
                    if (!regex.namedGroups().containsKey(name))
                    {
                        throw new IllegalArgumentException("'${" + name + "}' names no group of the regex");
                    }
                    i = close + 1;
                }
                else if (i < substitution.length() && substitution.charAt(i) >= '0' && substitution.charAt(i) <= '9')
                {
                    // Java reads the first digit, then more only while the number stays a group.
                    final int group = substitution.charAt(i) - '0';
                    if (group > groups)
                    {
                        throw new IllegalArgumentException("'$" + group + "' refers to a group the regex does not have (it has "
                            + groups + ")");
                    }
                    i++;
                }
                else
                {
                    throw new IllegalArgumentException("'$' must be followed by a group number or {name} (write \\$ for a dollar sign)");
                }
            }
        }
        return substitution;
    }
}
