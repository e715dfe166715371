package io.sluice.forwarder.config;

/** IPv4 addresses as the int the wire carries (network order read big-endian), parsed strictly. */
public final class Ipv4
{
    private Ipv4()
    {
    }

    /**
     * Parses dotted-quad text without any name lookup.
     *
     * @throws ConfigException naming the text when it is not four decimal octets.
     */
    public static int parse(final String text)
    {
        final String[] parts = text.split("\\.", -1);
        if (parts.length != 4)
        {
            throw new ConfigException("'" + text + "' is not an IPv4 address");
        }
        int address = 0;
        for (final String part : parts)
        {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit))
            {
                throw new ConfigException("'" + text + "' is not an IPv4 address");
            }
            final int octet = Integer.parseInt(part);
            if (octet > 255)
            {
                throw new ConfigException("'" + text + "' is not an IPv4 address");
            }
            address = (address << 8) | octet;
        }
        return address;
    }

    public static String format(final int address)
    {
        return ((address >>> 24) & 0xFF) + "." + ((address >>> 16) & 0xFF) + "." +
            ((address >>> 8) & 0xFF) + "." + (address & 0xFF);
    }
}
