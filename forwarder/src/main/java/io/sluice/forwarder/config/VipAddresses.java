package io.sluice.forwarder.config;

import java.util.List;
import java.util.TreeSet;

/** The distinct addresses of a set of VIPs (or reals): what an address-only packet filter must pass. */
public final class VipAddresses
{
    private VipAddresses()
    {
    }

    /** @return the distinct IPv4 addresses of {@code vips}, ascending as unsigned ints; a fresh array. */
    public static int[] distinct(final List<VipKey> vips)
    {
        final TreeSet<IpAddress> sorted = ofFamily(vips, true);
        final int[] addresses = new int[sorted.size()];
        int i = 0;
        for (final IpAddress address : sorted)
        {
            addresses[i++] = address.ipv4();
        }
        return addresses;
    }

    /**
     * @return the distinct IPv6 addresses of {@code vips}, ascending, as (high, low) pairs: entry
     *         2i is address i's {@link IpAddress#high()}, 2i + 1 its {@link IpAddress#low()}.
     */
    public static long[] distinctIpv6(final List<VipKey> vips)
    {
        final TreeSet<IpAddress> sorted = ofFamily(vips, false);
        final long[] pairs = new long[sorted.size() * 2];
        int i = 0;
        for (final IpAddress address : sorted)
        {
            pairs[i++] = address.high();
            pairs[i++] = address.low();
        }
        return pairs;
    }

    private static TreeSet<IpAddress> ofFamily(final List<VipKey> vips, final boolean ipv4)
    {
        final TreeSet<IpAddress> sorted = new TreeSet<>();
        for (final VipKey vip : vips)
        {
            if (vip.isIpv4() == ipv4)
            {
                sorted.add(vip.address());
            }
        }
        return sorted;
    }
}
