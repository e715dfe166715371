package io.sluice.linux.netlink;

import java.net.Inet6Address;

/**
 * The kernel's answer to "how would you send to this IPv6 address?" (RTM_GETROUTE, AF_INET6, for
 * one destination): the counterpart of {@link RouteLookup}. Addresses carry no scope id.
 *
 * <p>An IPv6 gateway is often link-local ({@code fe80::1}, what routers advertise); such an
 * address only means something on {@link #outputIfIndex()}, so resolve its MAC there
 * ({@link RtNetlink#solicitNeighbour6}, {@link Neighbour6#ifIndex()}).
 *
 * @param outputIfIndex   the interface packets would leave by.
 * @param gateway         the next hop, or null when the destination is on-link (the next hop is the destination).
 * @param preferredSource the source address the kernel would pick, or null.
 * @param local           whether the destination is an address of this host (RTN_LOCAL).
 */
public record RouteLookup6(int outputIfIndex, Inet6Address gateway, Inet6Address preferredSource, boolean local)
{
    /** @return the address whose MAC a frame to {@code destination} must carry. */
    public Inet6Address nextHop(final Inet6Address destination)
    {
        return gateway != null ? gateway : destination;
    }

    @Override
    public String toString()
    {
        return "RouteLookup6[oif " + outputIfIndex + (gateway != null ? " via " + Addresses.ipv6(gateway) : " on-link") +
            (preferredSource != null ? " src " + Addresses.ipv6(preferredSource) : "") + (local ? " local" : "") + "]";
    }
}
