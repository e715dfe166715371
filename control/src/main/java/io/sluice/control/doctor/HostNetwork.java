package io.sluice.control.doctor;

import io.sluice.forwarder.config.IpAddress;

import java.util.List;
import java.util.Optional;

/** The host's interfaces, addresses, routes and neighbours, as rtnetlink reports them. */
public interface HostNetwork
{
    /** @return every address of every interface. */
    List<Address> addresses();

    /** @return how the kernel would send to {@code destination}, empty when it has no route. */
    Optional<RouteAnswer> routeTo(IpAddress destination);

    /** @return the neighbour entry for {@code address} on the interface, empty when there is none. */
    Optional<NeighbourEntry> neighbour(String iface, IpAddress address);

    /**
     * An address of an interface.
     *
     * @param prefixLength as configured: a VIP on lo should have /32 (/128).
     */
    record Address(String iface, IpAddress address, int prefixLength)
    {
    }

    /**
     * A route lookup's answer.
     *
     * @param iface   the interface packets would leave by.
     * @param gateway the next hop, or null when the destination is on-link.
     * @param local   whether the destination is an address of this host.
     */
    record RouteAnswer(String iface, IpAddress gateway, boolean local)
    {
    }

    /** A neighbour entry: its state's name ({@code REACHABLE}, {@code FAILED}...) and whether frames may use it. */
    record NeighbourEntry(String state, boolean usable)
    {
    }
}
