package io.sluice.forwarder.config;

import java.util.Comparator;

/**
 * What identifies a VIP: address, port and protocol, written {@code 198.18.1.1:80/tcp}.
 *
 * @param address IPv4 address as an int (see {@link Ipv4}).
 * @param port    1..65535.
 */
public record VipKey(int address, int port, Protocol protocol)
{
    /** Address (as unsigned), then port, then protocol: the order listeners are given VIPs in. */
    public static final Comparator<VipKey> ORDER = Comparator
        .comparingInt((VipKey key) -> key.address() ^ Integer.MIN_VALUE)
        .thenComparingInt(VipKey::port)
        .thenComparing(VipKey::protocol);

    public VipKey
    {
        checkPort(port, "VIP");
    }

    /** @throws ConfigException with a one-line reason when the text is not ADDR:PORT/PROTO. */
    public static VipKey parse(final String text)
    {
        final int slash = text.lastIndexOf('/');
        if (slash < 0)
        {
            throw new ConfigException("'" + text + "' is not ADDR:PORT/PROTO (e.g. 198.18.1.1:80/tcp)");
        }
        final Protocol protocol = Protocol.parse(text.substring(slash + 1));
        final String hostPort = text.substring(0, slash);
        final int colon = hostPort.lastIndexOf(':');
        if (colon < 0)
        {
            throw new ConfigException("'" + text + "' is not ADDR:PORT/PROTO (e.g. 198.18.1.1:80/tcp)");
        }
        if (hostPort.startsWith("["))
        {
            throw new ConfigException("'" + text + "': IPv6 VIPs are not implemented yet");
        }
        return new VipKey(Ipv4.parse(hostPort.substring(0, colon)), parsePort(hostPort.substring(colon + 1), text), protocol);
    }

    static int parsePort(final String text, final String whole)
    {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit))
        {
            throw new ConfigException("'" + whole + "' has no valid port (1-65535)");
        }
        final int port = Integer.parseInt(text);
        checkPort(port, "'" + whole + "'");
        return port;
    }

    static void checkPort(final int port, final String what)
    {
        if (port < 1 || port > 65535)
        {
            throw new ConfigException(what + " port " + port + " is outside 1-65535");
        }
    }

    @Override
    public String toString()
    {
        return Ipv4.format(address) + ":" + port + "/" + protocol.label();
    }
}
