package io.sluice.forwarder.config;

/**
 * An IPv4 prefix, {@code 172.16.0.0/16}: the address with its host bits cleared and the length.
 */
public record Ipv4Prefix(int address, int length)
{
    /** Katran's outer sources for tunnel mode. */
    public static final Ipv4Prefix DEFAULT_TUNNEL_SOURCE = new Ipv4Prefix(0xAC10_0000, 16);

    public Ipv4Prefix
    {
        if (length < 0 || length > 32)
        {
            throw new ConfigException("prefix length " + length + " is outside 0-32");
        }
        address &= mask(length);
    }

    /** @throws ConfigException naming the text when it is not ADDRESS/LENGTH. */
    public static Ipv4Prefix parse(final String text)
    {
        final int slash = text.indexOf('/');
        if (slash < 0 || !text.substring(slash + 1).matches("[0-9]{1,2}"))
        {
            throw new ConfigException("'" + text + "' is not an IPv4 prefix (e.g. 172.16.0.0/16)");
        }
        return new Ipv4Prefix(Ipv4.parse(text.substring(0, slash)), Integer.parseInt(text.substring(slash + 1)));
    }

    private static int mask(final int length)
    {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    @Override
    public String toString()
    {
        return Ipv4.format(address) + "/" + length;
    }
}
