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

    /** @throws ConfigException if the text names no mode, or a mode this build cannot forward yet. */
    public static ForwardingMode parse(final String text)
    {
        final ForwardingMode mode = switch (text)
        {
            case "dsr" -> DSR;
            case "tunnel" -> TUNNEL;
            case "nat" -> NAT;
            default -> throw new ConfigException("unknown mode '" + text + "' (expected dsr, tunnel or nat)");
        };
        if (mode == NAT)
        {
            throw new ConfigException("mode 'nat' is not implemented yet; this forwarder supports dsr and tunnel");
        }
        return mode;
    }
}
