package io.sluice.forwarder.config;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/** The distinct addresses of a set of VIPs (or reals, or local addresses): what an address-only packet filter must pass. */
public final class VipAddresses
{
    private VipAddresses()
    {
    }

    /** @return the distinct IPv4 addresses of {@code vips}, ascending as unsigned ints; a fresh array. */
    public static int[] distinct(final List<VipKey> vips)
    {
        return ipv4(vips.stream().map(VipKey::address).toList());
    }

    /**
     * @return the distinct IPv6 addresses of {@code vips}, ascending, as (high, low) pairs: entry
     *         2i is address i's {@link IpAddress#high()}, 2i + 1 its {@link IpAddress#low()}.
     */
    public static long[] distinctIpv6(final List<VipKey> vips)
    {
        return ipv6(vips.stream().map(VipKey::address).toList());
    }

    /** @return the distinct IPv4 ones of {@code addresses} as ints, ascending as unsigned. */
    public static int[] ipv4(final Collection<IpAddress> addresses)
    {
        final TreeSet<IpAddress> sorted = ofFamily(addresses, true);
        final int[] ints = new int[sorted.size()];
        int i = 0;
        for (final IpAddress address : sorted)
        {
            ints[i++] = address.ipv4();
        }
        return ints;
    }

    /** @return the distinct IPv6 ones of {@code addresses} as (high, low) pairs, ascending. */
    public static long[] ipv6(final Collection<IpAddress> addresses)
    {
        final TreeSet<IpAddress> sorted = ofFamily(addresses, false);
        final long[] pairs = new long[sorted.size() * 2];
        int i = 0;
        for (final IpAddress address : sorted)
        {
            pairs[i++] = address.high();
            pairs[i++] = address.low();
        }
        return pairs;
    }

    private static TreeSet<IpAddress> ofFamily(final Collection<IpAddress> addresses, final boolean ipv4)
    {
        final TreeSet<IpAddress> sorted = new TreeSet<>();
        for (final IpAddress address : addresses)
        {
            if (address.isIpv4() == ipv4)
            {
                sorted.add(address);
            }
        }
        return sorted;
    }
}
