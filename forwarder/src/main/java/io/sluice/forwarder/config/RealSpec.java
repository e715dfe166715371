package io.sluice.forwarder.config;

/**
 * A real server behind a VIP, written {@code 198.18.0.11} or {@code 198.18.0.11:8080}.
 *
 * @param address IPv4 address as an int.
 * @param port    the real's port; 0 means "the VIP's port". DSR cannot change the port, so
 *                for a DSR VIP it must be 0 or equal to the VIP's port.
 * @param weight  1..65535, relative share of new flows.
 */
public record RealSpec(int address, int port, int weight)
{
    public static final int DEFAULT_WEIGHT = 100;
    public static final int MAX_WEIGHT = 65535;

    public RealSpec
    {
        if (port != 0)
        {
            VipKey.checkPort(port, "real");
        }
        if (weight < 1 || weight > MAX_WEIGHT)
        {
            throw new ConfigException("weight " + weight + " is outside 1-" + MAX_WEIGHT);
        }
    }

    /** @throws ConfigException with a one-line reason when the text is not ADDR or ADDR:PORT. */
    public static RealSpec parse(final String text, final int weight)
    {
        if (text.startsWith("["))
        {
            throw new ConfigException("'" + text + "': IPv6 reals are not implemented yet");
        }
        final int colon = text.lastIndexOf(':');
        if (colon < 0)
        {
            return new RealSpec(Ipv4.parse(text), 0, weight);
        }
        return new RealSpec(Ipv4.parse(text.substring(0, colon)), VipKey.parsePort(text.substring(colon + 1), text), weight);
    }

    /** The real's identity within a VIP: address and port, without the weight. */
    public String endpoint()
    {
        return port == 0 ? Ipv4.format(address) : Ipv4.format(address) + ":" + port;
    }

    @Override
    public String toString()
    {
        return endpoint() + " weight " + weight;
    }
}
