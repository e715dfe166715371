package io.sluice.linux.netlink;

import io.sluice.linux.Libc;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IP addresses from the kernel's bytes, and text forms for the records' toString: dotted quads,
 * RFC 5952 IPv6 text and colon-separated MACs.
 */
final class Addresses
{
    static final int IPV4_BYTES = 4;
    static final int IPV6_BYTES = 16;

    private static final int IPV6_GROUPS = 8;

    private Addresses()
    {
    }

    /**
     * @return the address of a family the kernel reported, or null when the length does not fit
     *         the family. An AF_INET6 address stays an {@link Inet6Address} even when it is
     *         IPv4-mapped ({@code ::ffff:a.b.c.d}), which {@link InetAddress#getByAddress(byte[])}
     *         would turn into an IPv4 one.
     */
    static InetAddress of(final int family, final byte[] bytes)
    {
        if (family == Libc.AF_INET && bytes.length == IPV4_BYTES)
        {
            return ipv4(bytes);
        }
        if (family == Libc.AF_INET6 && bytes.length == IPV6_BYTES)
        {
            return ipv6(bytes);
        }
        return null;
    }

    /** @param bytes 16 bytes in network order. @return them as an address without a scope. */
    static Inet6Address ipv6(final byte[] bytes)
    {
        try
        {
            return Inet6Address.getByAddress(null, bytes, -1);
        }
        catch (final UnknownHostException notSixteenBytes)
        {
            throw new IllegalArgumentException("an IPv6 address is 16 bytes, not " + bytes.length, notSixteenBytes);
        }
    }

    private static InetAddress ipv4(final byte[] bytes)
    {
        try
        {
            return InetAddress.getByAddress(bytes);
        }
        catch (final UnknownHostException impossible)
        {
            throw new IllegalStateException(impossible);
        }
    }

    static String ipv4(final int address)
    {
        return ((address >>> 24) & 0xFF) + "." + ((address >>> 16) & 0xFF) + "." +
            ((address >>> 8) & 0xFF) + "." + (address & 0xFF);
    }

    /**
     * RFC 5952 text ({@code 2001:2::1}, {@code fe80::c6ff:fe12:fa02}): the longest run of two or
     * more zero groups, the first of equal runs, becomes "::". {@link InetAddress#getHostAddress()}
     * writes every group ({@code 2001:2:0:0:0:0:0:1}), which is hard to read in logs.
     */
    static String ipv6(final Inet6Address address)
    {
        final byte[] bytes = address.getAddress();
        final int[] groups = new int[IPV6_GROUPS];
        for (int i = 0; i < IPV6_GROUPS; i++)
        {
            groups[i] = ((bytes[2 * i] & 0xFF) << 8) | (bytes[2 * i + 1] & 0xFF);
        }
        int runStart = -1;
        int runLength = 1;
        for (int i = 0; i < IPV6_GROUPS; )
        {
            int end = i;
            while (end < IPV6_GROUPS && groups[end] == 0)
            {
                end++;
            }
            if (end - i > runLength)
            {
                runStart = i;
                runLength = end - i;
            }
            i = Math.max(end, i + 1);
        }
        final StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < IPV6_GROUPS; i++)
        {
            if (i == runStart)
            {
                text.append("::");
                i += runLength - 1;
                continue;
            }
            if (!text.isEmpty() && text.charAt(text.length() - 1) != ':')
            {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    static String mac(final long mac)
    {
        final StringBuilder text = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8)
        {
            if (shift != 40)
            {
                text.append(':');
            }
            final int octet = (int)(mac >>> shift) & 0xFF;
            text.append(Character.forDigit(octet >>> 4, 16)).append(Character.forDigit(octet & 0xF, 16));
        }
        return text.toString();
    }
}
