package io.sluice.forwarder.config;

/** The transport protocols a VIP can balance, with their IP protocol numbers. */
public enum Protocol
{
    TCP(6), UDP(17);

    private final int ipProtocol;

    Protocol(final int ipProtocol)
    {
        this.ipProtocol = ipProtocol;
    }

    /** The IP header's protocol number (6 for TCP, 17 for UDP). */
    public int ipProtocol()
    {
        return ipProtocol;
    }

    public String label()
    {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** @throws ConfigException if the text is not "tcp" or "udp". */
    public static Protocol parse(final String text)
    {
        return switch (text)
        {
            case "tcp" -> TCP;
            case "udp" -> UDP;
            default -> throw new ConfigException("unknown protocol '" + text + "' (expected tcp or udp)");
        };
    }

    /** @return the protocol for an IP protocol number, or null if it is neither TCP nor UDP. */
    public static Protocol ofIpProtocol(final int ipProtocol)
    {
        return switch (ipProtocol)
        {
            case 6 -> TCP;
            case 17 -> UDP;
            default -> null;
        };
    }
}
