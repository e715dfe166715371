package io.sluice.l7.http;

/**
 * Where the parts of a request-target are (RFC 9112 section 3.2), found with one scan and no
 * copies: origin-form {@code /path?query}, absolute-form {@code http://authority/path?query},
 * and the rest ({@code *}, CONNECT's {@code host:port}), whose "path" is the target as a whole.
 *
 * @param authority  absolute-form's authority, or null.
 * @param pathStart  where the path starts in the target.
 * @param pathEnd    where it ends (the '?', the '#', or the end); equal to pathStart when empty.
 * @param queryStart after the '?', or -1 when there is no query.
 * @param queryEnd   the '#' or the end.
 */
public record RequestTarget(String authority, int pathStart, int pathEnd, int queryStart, int queryEnd)
{
    public static RequestTarget parse(final String uri)
    {
        String authority = null;
        int pathStart = 0;
        if (!uri.startsWith("/"))
        {
            final int schemeEnd = uri.indexOf("://");
            if (schemeEnd > 0 && isScheme(uri, schemeEnd))
            {
                final int authorityStart = schemeEnd + 3;
                pathStart = endOfAuthority(uri, authorityStart);
                authority = uri.substring(authorityStart, pathStart);
            }
        }
        int pathEnd = pathStart;
        while (pathEnd < uri.length() && uri.charAt(pathEnd) != '?' && uri.charAt(pathEnd) != '#')
        {
            pathEnd++;
        }
        if (pathEnd == uri.length() || uri.charAt(pathEnd) == '#')
        {
            return new RequestTarget(authority, pathStart, pathEnd, -1, -1);
        }
        final int fragment = uri.indexOf('#', pathEnd);
        return new RequestTarget(authority, pathStart, pathEnd, pathEnd + 1, fragment < 0 ? uri.length() : fragment);
    }

    private static boolean isScheme(final String uri, final int end)
    {
        for (int i = 0; i < end; i++)
        {
            final char c = uri.charAt(i);
            final boolean letter = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
            if (!letter && (i == 0 || !(c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')))
            {
                return false;
            }
        }
        return true;
    }

    private static int endOfAuthority(final String uri, final int start)
    {
        int end = start;
        while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0)
        {
            end++;
        }
        return end;
    }
}
