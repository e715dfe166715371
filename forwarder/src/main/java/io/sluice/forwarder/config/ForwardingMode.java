package io.sluice.forwarder.config;

import java.util.Locale;

/**
 * How a packet reaches the real: MAC rewrite (DSR), IP-in-IP encapsulation (tunnel), GUE
 * encapsulation that can carry a second real to try ({@code gue}), or destination NAT.
 */
public enum ForwardingMode
{
    DSR, TUNNEL, NAT, GUE;

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
            case "gue" -> GUE;
            default -> throw new ConfigException("unknown mode '" + text + "' (expected dsr, tunnel, gue or nat)");
        };
    }
}
