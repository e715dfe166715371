package io.sluice.forwarder.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 address as two longs, the 16 bytes of an IPv6 address read big-endian:
 * {@code high} the first 8, {@code low} the last 8. An IPv4 address is held IPv4-mapped
 * ({@code ::ffff:a.b.c.d}, RFC 4291 2.5.5.2), so one type, one comparison and one hash serve
 * both families and an IPv4 address can never equal an IPv6 one. The control plane's type;
 * the data path reads the two longs (or {@link #ipv4()}) and never allocates one.
 */
public record IpAddress(long high, long low) implements Comparable<IpAddress>
{
    private static final long IPV4_MAPPED = 0xFFFF_0000_0000L;

    /** The address of an IPv4 int (network order read big-endian, as {@link Ipv4} gives it). */
    public static IpAddress ipv4(final int address)
    {
        return new IpAddress(0L, IPV4_MAPPED | (address & 0xFFFF_FFFFL));
    }

    /**
     * The address of 16 network-order bytes, or 4 for IPv4; an IPv4-mapped IPv6 address is the
     * IPv4 address it maps.
     */
    public static IpAddress of(final byte[] bytes)
    {
        if (bytes.length == 4)
        {
            return ipv4(((bytes[0] & 0xFF) << 24) | ((bytes[1] & 0xFF) << 16) | ((bytes[2] & 0xFF) << 8) | (bytes[3] & 0xFF));
        }
        if (bytes.length != 16)
        {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + bytes.length);
        }
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++)
        {
            high = (high << 8) | (bytes[i] & 0xFF);
            low = (low << 8) | (bytes[i + 8] & 0xFF);
        }
        return new IpAddress(high, low);
    }

    /**
     * Parses an IPv4 dotted quad or an IPv6 address (RFC 4291 text, without brackets or a zone),
     * with no name lookup.
     *
     * @throws ConfigException naming the text when it is neither.
     */
    public static IpAddress parse(final String text)
    {
        if (text.indexOf(':') < 0)
        {
            return ipv4(Ipv4.parse(text));
        }
        if (text.indexOf('%') >= 0 || text.indexOf('[') >= 0 || text.indexOf(']') >= 0)
        {
            throw new ConfigException("'" + text + "' is not an IPv6 address (no brackets or zone here)");
        }
        final IpAddress address;
        try
        {
            address = of(InetAddress.ofLiteral(text).getAddress());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigException("'" + text + "' is not an IPv6 address");
        }
        if (address.isIpv4())
        {
            throw new ConfigException("'" + text + "' is an IPv4-mapped address: write the IPv4 address " + address);
        }
        return address;
    }

    /**
     * {@link #parse}, of an address written in brackets ({@code [ADDR]:PORT}): only IPv6 is
     * written so.
     */
    public static IpAddress parseBracketed(final String text)
    {
        final IpAddress address = parse(text);
        if (address.isIpv4())
        {
            throw new ConfigException("'" + text + "' is not an IPv6 address (only IPv6 goes in brackets)");
        }
        return address;
    }

    public boolean isIpv4()
    {
        return high == 0 && (low & ~0xFFFF_FFFFL) == IPV4_MAPPED;
    }

    /** The IPv4 address as an int; meaningful only when {@link #isIpv4()}. */
    public int ipv4()
    {
        return (int)low;
    }

    /** "IPv4" or "IPv6", for messages. */
    public String family()
    {
        return isIpv4() ? "IPv4" : "IPv6";
    }

    /** The 4 (IPv4) or 16 network-order bytes, e.g. for {@link InetAddress#getByAddress(byte[])}. */
    public byte[] bytes()
    {
        if (isIpv4())
        {
            final int v4 = ipv4();
            return new byte[] {(byte)(v4 >>> 24), (byte)(v4 >>> 16), (byte)(v4 >>> 8), (byte)v4};
        }
        final byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++)
        {
            bytes[i] = (byte)(high >>> (56 - 8 * i));
            bytes[i + 8] = (byte)(low >>> (56 - 8 * i));
        }
        return bytes;
    }

    public InetAddress inetAddress()
    {
        try
        {
            return InetAddress.getByAddress(bytes());
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalStateException(ex); // cannot happen: 4 or 16 bytes
        }
    }

    /** The address followed by a port, as URLs and sockets write it: IPv6 in brackets. */
    public String withPort(final int port)
    {
        return isIpv4() ? this + ":" + port : "[" + this + "]:" + port;
    }

    /** IPv4 before IPv6, then by value as unsigned. */
    @Override
    public int compareTo(final IpAddress other)
    {
        final int high = Long.compareUnsigned(this.high, other.high);
        return high != 0 ? high : Long.compareUnsigned(this.low, other.low);
    }

    /** Dotted quad for IPv4; RFC 5952 for IPv6 (lower case, the longest run of two or more zero groups as "::"). */
    @Override
    public String toString()
    {
        if (isIpv4())
        {
            return Ipv4.format(ipv4());
        }
        final int[] groups = new int[8];
        for (int i = 0; i < 4; i++)
        {
            groups[i] = (int)(high >>> (48 - 16 * i)) & 0xFFFF;
            groups[i + 4] = (int)(low >>> (48 - 16 * i)) & 0xFFFF;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++)
        {
            int end = i;
            while (end < 8 && groups[end] == 0)
            {
                end++;
            }
            if (end - i > bestLength)
            {
                bestStart = i;
                bestLength = end - i;
            }
            i = Math.max(i, end);
        }
        final StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++)
        {
            if (i == bestStart)
            {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':')
            {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
