package io.sluice.control.doctor;

import io.sluice.forwarder.config.IpAddress;
import io.sluice.linux.LinuxException;
import io.sluice.linux.netlink.InterfaceAddress;
import io.sluice.linux.netlink.Link;
import io.sluice.linux.netlink.Neighbour;
import io.sluice.linux.netlink.Neighbour6;
import io.sluice.linux.netlink.RouteLookup;
import io.sluice.linux.netlink.RouteLookup6;
import io.sluice.linux.netlink.RtNetlink;

import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link HostNetwork} over sluice's own rtnetlink bindings, in the calling thread's network namespace. */
public final class NetlinkHostNetwork implements HostNetwork, AutoCloseable
{
    private final RtNetlink netlink = RtNetlink.open();
    private final Map<Integer, String> names = new HashMap<>();
    private final Map<String, Integer> indexes = new HashMap<>();

    public NetlinkHostNetwork()
    {
        for (final Link link : netlink.links())
        {
            names.put(link.index(), link.name());
            indexes.put(link.name(), link.index());
        }
    }

    @Override
    public List<Address> addresses()
    {
        final List<Address> addresses = new ArrayList<>();
        for (final InterfaceAddress address : netlink.addresses())
        {
            addresses.add(new Address(name(address.ifIndex()), IpAddress.of(address.address().getAddress()),
                address.prefixLength()));
        }
        return addresses;
    }

    @Override
    public Optional<RouteAnswer> routeTo(final IpAddress destination)
    {
        try
        {
            if (destination.isIpv4())
            {
                final RouteLookup route = netlink.routeTo(destination.ipv4());
                return Optional.of(new RouteAnswer(name(route.outputIfIndex()),
                    route.gateway() == 0 ? null : IpAddress.ipv4(route.gateway()), route.local()));
            }
            final RouteLookup6 route = netlink.routeTo6((Inet6Address)destination.inetAddress());
            return Optional.of(new RouteAnswer(name(route.outputIfIndex()),
                route.gateway() == null ? null : IpAddress.of(route.gateway().getAddress()), route.local()));
        }
        catch (final LinuxException unreachable)
        {
            return Optional.empty();
        }
    }

    @Override
    public Optional<NeighbourEntry> neighbour(final String iface, final IpAddress address)
    {
        final Integer ifIndex = indexes.get(iface);
        if (ifIndex == null)
        {
            return Optional.empty();
        }
        if (address.isIpv4())
        {
            for (final Neighbour entry : netlink.neighbours())
            {
                if (entry.ifIndex() == ifIndex && entry.ipv4() == address.ipv4())
                {
                    return Optional.of(new NeighbourEntry(entry.stateName(), entry.usable()));
                }
            }
            return Optional.empty();
        }
        for (final Neighbour6 entry : netlink.neighbours6())
        {
            if (entry.ifIndex() == ifIndex && IpAddress.of(entry.address().getAddress()).equals(address))
            {
                return Optional.of(new NeighbourEntry(entry.stateName(), entry.usable()));
            }
        }
        return Optional.empty();
    }

    private String name(final int ifIndex)
    {
        return names.getOrDefault(ifIndex, "ifindex " + ifIndex);
    }

    @Override
    public void close()
    {
        netlink.close();
    }
}
