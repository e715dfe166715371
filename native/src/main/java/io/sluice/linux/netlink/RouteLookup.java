package io.sluice.linux.netlink;

/**
 * The kernel's answer to "how would you send to this address?" (RTM_GETROUTE for one
 * destination). Addresses are the int the wire carries.
 *
 * @param outputIfIndex   the interface packets would leave by.
 * @param gateway         the next hop, or 0 when the destination is on-link (the next hop is the destination).
 * @param preferredSource the source address the kernel would pick, or 0.
 * @param local           whether the destination is an address of this host (RTN_LOCAL).
 */
public record RouteLookup(int outputIfIndex, int gateway, int preferredSource, boolean local)
{
    /** @return the address whose MAC a frame to {@code destination} must carry. */
    public int nextHop(final int destination)
    {
        return gateway != 0 ? gateway : destination;
    }

    @Override
    public String toString()
    {
        return "RouteLookup[oif " + outputIfIndex + (gateway != 0 ? " via " + Addresses.ipv4(gateway) : " on-link") +
            (preferredSource != 0 ? " src " + Addresses.ipv4(preferredSource) : "") + (local ? " local" : "") + "]";
    }
}
