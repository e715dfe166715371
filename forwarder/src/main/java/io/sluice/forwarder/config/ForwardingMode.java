package io.sluice.forwarder.config;

import java.util.Locale;

/** How a packet reaches the real: MAC rewrite (DSR), IP-in-IP encapsulation, or destination NAT. */
public enum ForwardingMode
{
    DSR, TUNNEL, NAT;

    public String label()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws ConfigException if the text names no mode. */
    public static ForwardingMode parse(final String text)
    {
        return switch (text)
        {
            case "dsr" -> DSR;
            case "tunnel" -> TUNNEL;
            case "nat" -> NAT;
            default -> throw new ConfigException("unknown mode '" + text + "' (expected dsr, tunnel or nat)");
        };
    }
}
