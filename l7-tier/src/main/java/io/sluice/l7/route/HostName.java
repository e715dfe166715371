package io.sluice.l7.route;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Locale;

/**
 * Host names as routes compare them: lower case, no port, no trailing dot, and an IPv6 literal
 * without brackets in one canonical spelling (so {@code [2001:2::1]} and {@code [2001:2:0::1]}
 * are one host).
 */
final class HostName
{
    private HostName()
    {
    }

    /**
     * A Host header's value or a URI's authority ({@code host}, {@code host:port},
     * {@code [v6]:port}, possibly {@code user@host}) as a host name, or null when it has none.
     */
    static String fromAuthority(final String authority)
    {
        if (authority == null)
        {
            return null;
        }
        final int at = authority.lastIndexOf('@');
        final String hostAndPort = at < 0 ? authority : authority.substring(at + 1);
        if (!hostAndPort.isEmpty() && hostAndPort.charAt(0) == '[')
        {
            final int close = hostAndPort.indexOf(']');
            return close < 0 ? canonical(hostAndPort) : canonical(hostAndPort.substring(1, close));
        }
        final int colon = hostAndPort.indexOf(':');
        // More than one colon is an IPv6 literal someone forgot to bracket: it has no port to strip.
        if (colon >= 0 && colon == hostAndPort.lastIndexOf(':'))
        {
            return canonical(hostAndPort.substring(0, colon));
        }
        return canonical(hostAndPort);
    }

    /** A host without port (brackets allowed) in the form {@link #fromAuthority} returns; null if empty. */
    static String canonical(final String host)
    {
        String name = host;
        if (name.length() >= 2 && name.charAt(0) == '[' && name.charAt(name.length() - 1) == ']')
        {
            name = name.substring(1, name.length() - 1);
        }
        if (name.endsWith("."))
        {
            name = name.substring(0, name.length() - 1);
        }
        if (name.isEmpty())
        {
            return null;
        }
        if (name.indexOf(':') >= 0)
        {
            return canonicalIpv6(name);
        }
        return lowerCase(name);
    }

    private static String canonicalIpv6(final String literal)
    {
        try
        {
            // ofLiteral parses and never resolves a name.
            final InetAddress address = InetAddress.ofLiteral(literal);
            if (address instanceof Inet6Address)
            {
                return address.getHostAddress();
            }
        }
        catch (final IllegalArgumentException notAnAddress)
        {
            // Not an address: compared as text, so it can only match a route naming the same text.
        }
        return lowerCase(literal);
    }

    /** Lower case without allocating when the name already is, which nearly every Host header is. */
    private static String lowerCase(final String name)
    {
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z' || c > 0x7F)
            {
                return name.toLowerCase(Locale.ROOT);
            }
        }
        return name;
    }
}
