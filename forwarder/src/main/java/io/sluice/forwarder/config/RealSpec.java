package io.sluice.forwarder.config;

/**
 * A real server behind a VIP, written {@code 198.18.0.11}, {@code 198.18.0.11:8080},
 * {@code 2001:2::11} or {@code [2001:2::11]:8080}.
 *
 * @param address IPv4 or IPv6, the VIP's own family.
 * @param port    the real's port; 0 means "the VIP's port". DSR cannot change the port, so
 *                for a DSR VIP it must be 0 or equal to the VIP's port.
 * @param weight  0..65535, relative share of new flows; 0 drains the real (as IPVS allows): the
 *                flows it has stay on it, no new flow goes to it.
 */
public record RealSpec(IpAddress address, int port, int weight)
{
    public static final int DEFAULT_WEIGHT = 100;
    public static final int MIN_WEIGHT = 0;
    public static final int MAX_WEIGHT = 65535;

    public RealSpec
    {
        java.util.Objects.requireNonNull(address, "address");
        if (port != 0)
        {
            VipKey.checkPort(port, "real");
        }
        if (weight < MIN_WEIGHT || weight > MAX_WEIGHT)
        {
            throw new ConfigException("weight " + weight + " is outside " + MIN_WEIGHT + "-" + MAX_WEIGHT);
        }
    }

    /** An IPv4 real. */
    public RealSpec(final int ipv4, final int port, final int weight)
    {
        this(IpAddress.ipv4(ipv4), port, weight);
    }

    /**
     * @throws ConfigException with a one-line reason when the text is not ADDR, ADDR:PORT (IPv4),
     *         an IPv6 address, or [ADDR]:PORT (IPv6).
     */
    public static RealSpec parse(final String text, final int weight)
    {
        if (text.startsWith("["))
        {
            final int close = text.indexOf(']');
            if (close < 0 || close == text.length() - 2 || (close < text.length() - 1 && text.charAt(close + 1) != ':'))
            {
                throw new ConfigException("'" + text + "' is not [IPV6-ADDR] or [IPV6-ADDR]:PORT");
            }
            final IpAddress address = IpAddress.parseBracketed(text.substring(1, close));
            final int port = close == text.length() - 1 ? 0 : VipKey.parsePort(text.substring(close + 2), text);
            return new RealSpec(address, port, weight);
        }
        final int colon = text.indexOf(':');
        if (colon < 0 || text.indexOf(':', colon + 1) >= 0)
        {
            return new RealSpec(IpAddress.parse(text), 0, weight); // IPv4, or IPv6 without a port
        }
        return new RealSpec(IpAddress.parse(text.substring(0, colon)), VipKey.parsePort(text.substring(colon + 1), text), weight);
    }

    /** The real's identity within a VIP: address and port, without the weight. */
    public String endpoint()
    {
        return port == 0 ? address.toString() : address.withPort(port);
    }

    @Override
    public String toString()
    {
        return endpoint() + " weight " + weight;
    }
}
