package io.sluice.linux.netlink;

import java.net.Inet6Address;
import java.util.Objects;

/**
 * An IPv6 neighbour (NDP) entry (RTM_GETNEIGH, AF_INET6): the counterpart of {@link Neighbour},
 * with the same states and the same notion of {@link #usable()}.
 *
 * <p>A link-local address ({@code fe80::/10}) names a neighbour only together with
 * {@link #ifIndex()}: the same address may be a different host on another interface.
 *
 * @param address the neighbour's address, without a scope id.
 * @param mac     its hardware address, 48 bits in a long (first byte in bits 47..40); 0 when unknown.
 * @param state   NUD_* bits from {@code linux/neighbour.h}, as {@link Neighbour#NUD_REACHABLE} etc.
 */
public record Neighbour6(int ifIndex, Inet6Address address, long mac, int state)
{
    public Neighbour6
    {
        Objects.requireNonNull(address, "address");
    }

    /** @return whether frames may be sent to {@link #mac()}; see {@link Neighbour#usable()}. */
    public boolean usable()
    {
        return NeighbourStates.usable(state, mac);
    }

    public String stateName()
    {
        return NeighbourStates.name(state);
    }

    @Override
    public String toString()
    {
        return "Neighbour6[" + Addresses.ipv6(address) + " " + Addresses.mac(mac) + " " + stateName() + " ifindex " + ifIndex + "]";
    }
}
