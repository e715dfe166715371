package io.sluice.forwarder.config;

import java.util.Comparator;

/**
 * What identifies a VIP: address, port and protocol, written {@code 198.18.1.1:80/tcp} or
 * {@code [2001:2:0:1::1]:80/tcp}.
 *
 * @param address IPv4 or IPv6.
 * @param port    1..65535.
 */
public record VipKey(IpAddress address, int port, Protocol protocol)
{
    /** Address (IPv4 first), then port, then protocol: the order listeners are given VIPs in. */
    public static final Comparator<VipKey> ORDER = Comparator
        .comparing(VipKey::address)
        .thenComparingInt(VipKey::port)
        .thenComparing(VipKey::protocol);

    public VipKey
    {
        java.util.Objects.requireNonNull(address, "address");
        checkPort(port, "VIP");
    }

    /** An IPv4 VIP. */
    public VipKey(final int ipv4, final int port, final Protocol protocol)
    {
        this(IpAddress.ipv4(ipv4), port, protocol);
    }

    public boolean isIpv4()
    {
        return address.isIpv4();
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
        final boolean bracketed = hostPort.startsWith("[");
        if (colon < 0 || bracketed != (colon > 0 && hostPort.charAt(colon - 1) == ']') ||
            (!bracketed && hostPort.indexOf(':') != colon))
        {
            throw new ConfigException("'" + text + "' is not ADDR:PORT/PROTO (e.g. 198.18.1.1:80/tcp or [2001:2:0:1::1]:80/tcp)");
        }
        final String address = bracketed ? hostPort.substring(1, colon - 1) : hostPort.substring(0, colon);
        return new VipKey(bracketed ? IpAddress.parseBracketed(address) : IpAddress.parse(address), parsePort(hostPort.substring(colon + 1), text), protocol);
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
        return address.withPort(port) + "/" + protocol.label();
    }
}
