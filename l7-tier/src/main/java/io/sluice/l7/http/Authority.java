package io.sluice.l7.http;

import io.netty.util.NetUtil;

/**
 * The {@code host[:port]} a request names (RFC 9110 7.2, RFC 3986 3.2.2): a registered name of
 * unreserved characters, percent-escapes and sub-delimiters (the comma excepted: in a Host
 * field it would make a list), an IPv4 address, or an IPv6 address in brackets; then an optional
 * port of up to five digits. No userinfo ({@code user@host}, RFC 9110 4.2.4), no empty host:
 * a host the router and the backend might read differently is refused, not guessed at.
 */
final class Authority
{
    private static final int MAX_PORT = 65_535;

    private Authority()
    {
    }

    static boolean isValid(final String authority)
    {
        final int hostEnd;
        if (authority.startsWith("["))
        {
            hostEnd = authority.indexOf(']');
            if (hostEnd < 0 || !NetUtil.isValidIpV6Address(authority.substring(1, hostEnd)))
            {
                return false;
            }
        }
        else
        {
            final int colon = authority.indexOf(':');
            hostEnd = colon < 0 ? authority.length() - 1 : colon - 1;
            if (hostEnd < 0 || !isRegName(authority, hostEnd + 1))
            {
                return false;
            }
        }
        return isPort(authority, hostEnd + 1);
    }

    /** unreserved / pct-encoded / sub-delims, without the comma; IPv4 addresses are such names too. */
    private static boolean isRegName(final String text, final int end)
    {
        for (int i = 0; i < end; i++)
        {
            final char c = text.charAt(i);
            if (c == '%')
            {
                if (i + 2 >= end || !isHex(text.charAt(i + 1)) || !isHex(text.charAt(i + 2)))
                {
                    return false;
                }
                i += 2;
            }
            else if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~!$&'()*+;=".indexOf(c) >= 0))
            {
                return false;
            }
        }
        return true;
    }

    /** Nothing, or ':' and up to five digits (an empty port is allowed by RFC 3986). */
    private static boolean isPort(final String text, final int from)
    {
        if (from == text.length())
        {
            return true;
        }
        if (text.charAt(from) != ':' || text.length() - from - 1 > 5)
        {
            return false;
        }
        int port = 0;
        for (int i = from + 1; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c < '0' || c > '9')
            {
                return false;
            }
            port = port * 10 + (c - '0');
        }
        return port <= MAX_PORT;
    }

    private static boolean isHex(final char c)
    {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
