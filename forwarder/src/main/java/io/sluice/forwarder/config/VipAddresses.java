package io.sluice.forwarder.config;

import java.util.Arrays;
import java.util.List;

/** The distinct addresses of a set of VIPs: what an address-only packet filter must pass. */
public final class VipAddresses
{
    private VipAddresses()
    {
    }

    /** @return the distinct IPv4 addresses of {@code vips}, ascending as unsigned ints; a fresh array. */
    public static int[] distinct(final List<VipKey> vips)
    {
        // Ascending as unsigned: flip the sign bit, sort signed, flip back.
        final int[] all = new int[vips.size()];
        for (int i = 0; i < all.length; i++)
        {
            all[i] = vips.get(i).address() ^ Integer.MIN_VALUE;
        }
        Arrays.sort(all);
        int distinct = 0;
        for (int i = 0; i < all.length; i++)
        {
            if (distinct == 0 || all[distinct - 1] != all[i])
            {
                all[distinct++] = all[i];
            }
        }
        final int[] addresses = Arrays.copyOf(all, distinct);
        for (int i = 0; i < addresses.length; i++)
        {
            addresses[i] ^= Integer.MIN_VALUE;
        }
        return addresses;
    }
}
