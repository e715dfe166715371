package io.sluice.l7.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.regex.Pattern;

/**
 * {@code ADDR:PORT} as the file writes it: {@code 198.18.1.1:80}, {@code [2001:2:0:1::1]:80}.
 * Only IP literals: a name would need a lookup, at start and again on every reload, and a
 * proxy that silently binds or connects somewhere else because DNS changed is worse than one
 * that refuses the name. Pool servers are the exception ({@code PoolReader}): a server named by DNS
 * name follows its name's answers on purpose, and says so in its name ({@code api#198.18.0.31}).
 */
final class SocketAddresses
{
    /**
     * Strict dotted quad: {@link InetAddress#ofLiteral} also takes BSD forms ({@code 1.2.3} is
     * 1.2.0.3) and leading zeros, which people write by mistake and read as something else.
     */
    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
    private static final String ADDR_PORT = "ADDR:PORT";
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

    private SocketAddresses()
    {
    }

    /** Reads a node's {@code ADDR:PORT}, refusing what YAML made of an unquoted IPv6 one. */
    static InetSocketAddress read(final ConfigNode node)
    {
        if (node.isList())
        {
            // [2001:2::1]:80 unquoted is a YAML flow list followed by ":80"; say so, not just "a list".
            throw node.error("expected ADDR:PORT, found a list (quote IPv6 addresses: \"[2001:2::1]:80\")");
        }
        return node.parse(SocketAddresses::parse);
    }

    /** @throws IllegalArgumentException whose message is the whole reason. */
    static InetSocketAddress parse(final String text)
    {
        final InetAddress address;
        final String port;
        if (text.startsWith("["))
        {
            final int end = text.indexOf("]:");
            if (end < 0)
            {
                throw notAddrPort(text, "");
            }
            final String literal = text.substring(1, end);
            if (!literal.contains(":"))
            {
                throw notAddrPort(text, " (brackets are for IPv6 only)");
            }
            address = literal(literal, text, ADDR_PORT);
            port = text.substring(end + 2);
        }
        else
        {
            final int colon = text.lastIndexOf(':');
            if (colon < 0)
            {
                throw notAddrPort(text, "");
            }
            final String literal = text.substring(0, colon);
            if (literal.contains(":"))
            {
                throw notAddrPort(text, " (IPv6 goes in brackets: \"[ADDR]:PORT\")");
            }
            address = literal(literal, text, ADDR_PORT);
            port = text.substring(colon + 1);
        }
        return new InetSocketAddress(address, port(port, text));
    }

    /**
     * The {@code PORT} of {@code whole}, 1-65535.
     *
     * @throws IllegalArgumentException whose message is the whole reason.
     */
    static int port(final String port, final String whole)
    {
        if (!PORT.matcher(port).matches())
        {
            throw notAddrPort(whole, "");
        }
        final int number = Integer.parseInt(port);
        if (number < 1 || number > 65535)
        {
            throw new IllegalArgumentException("port " + number + " is not 1-65535");
        }
        return number;
    }

    /**
     * An IP literal alone: a strict dotted quad, or IPv6 without brackets or a zone id.
     *
     * @param whole the text it was taken from, which the error names.
     * @param form  what the whole was meant to be, for the error ("ADDR:PORT").
     * @throws IllegalArgumentException whose message is the whole reason.
     */
    static InetAddress literal(final String literal, final String whole, final String form)
    {
        if (literal.contains(":"))
        {
            if (literal.contains("%"))
            {
                throw notA(form, whole, " (zone ids are not supported)");
            }
            try
            {
                return Inet6Address.ofLiteral(literal);
            }
            catch (final IllegalArgumentException ex)
            {
                throw notA(form, whole, "");
            }
        }
        if (!IPV4.matcher(literal).matches())
        {
            final boolean looksLikeName = literal.chars().anyMatch(Character::isLetter);
            throw notA(form, whole, looksLikeName ? " (ADDR is an IP address; names are not looked up)" : "");
        }
        return InetAddress.ofLiteral(literal);
    }

    private static IllegalArgumentException notAddrPort(final String text, final String hint)
    {
        return notA(ADDR_PORT, text, hint);
    }

    private static IllegalArgumentException notA(final String form, final String text, final String hint)
    {
        return new IllegalArgumentException("'" + text + "' is not " + form + hint);
    }
}
