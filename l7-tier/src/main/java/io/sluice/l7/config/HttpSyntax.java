package io.sluice.l7.config;

import java.util.regex.Pattern;

/**
 * What HTTP allows in the names and values the file supplies. Checked here because a bad one
 * would otherwise surface per request, far from the line that caused it, or be sent on as a
 * malformed (or injected) header.
 */
final class HttpSyntax
{
    /** RFC 9110 5.6.2 token: header field names and methods. RFC 6265 takes it for cookie names too. */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");

    /**
     * Names of sluice's own things (listeners, routes, pools, servers): they end up in logs,
     * metric labels and field paths, where spaces and punctuation would need quoting.
     */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");

    private HttpSyntax()
    {
    }

    static String token(final String text, final String what)
    {
        if (!TOKEN.matcher(text).matches())
        {
            throw new IllegalArgumentException("'" + text + "' is not " + what + " (an HTTP token: letters, digits and !#$%&'*+-.^_`|~)");
        }
        return text;
    }

    static String headerName(final String text)
    {
        return token(text, "a header name");
    }

    /** RFC 9110 5.5: no control characters but tab; CR and LF would split the header in two. */
    static String headerValue(final String text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F)
            {
                throw new IllegalArgumentException("a header value must not contain control characters (found 0x"
                    + Integer.toHexString(c) + ")");
            }
        }
        return text;
    }

    /** A path as a request carries it, for matching: the query string is not part of it. */
    static String path(final String text)
    {
        pathAndQuery(text);
        if (text.indexOf('?') >= 0)
        {
            throw new IllegalArgumentException("'" + text + "' contains '?' (paths are matched without the query string)");
        }
        return text;
    }

    /** What follows the method in a request line (origin form): a path and maybe a query. */
    static String pathAndQuery(final String text)
    {
        if (!text.startsWith("/"))
        {
            throw new IllegalArgumentException("'" + text + "' does not start with '/'");
        }
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c <= ' ' || c == 0x7F)
            {
                throw new IllegalArgumentException("'" + text + "' contains a space or control character");
            }
        }
        return text;
    }

    static String name(final String text)
    {
        if (!NAME.matcher(text).matches())
        {
            throw new IllegalArgumentException("'" + text + "' is not a name (letters, digits, '-', '_', '.')");
        }
        return text;
    }
}
