package io.sluice.linux.netlink;

/**
 * An IPv4 unicast route of the main table (RTM_GETROUTE dump). Addresses are the int the wire
 * carries; 0 means absent (no gateway: the destination is on-link; destination 0/0: the default).
 * For a multipath route, the first next hop.
 */
public record Route(int destination, int prefixLength, int gateway, int outputIfIndex, int preferredSource)
{
    /** @return whether {@code ipv4} falls inside this route's destination prefix. */
    public boolean covers(final int ipv4)
    {
        final int mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
        return (ipv4 & mask) == (destination & mask);
    }

    @Override
    public String toString()
    {
        return "Route[" + Addresses.ipv4(destination) + "/" + prefixLength +
            (gateway != 0 ? " via " + Addresses.ipv4(gateway) : "") + " oif " + outputIfIndex +
            (preferredSource != 0 ? " src " + Addresses.ipv4(preferredSource) : "") + "]";
    }
}
