package io.sluice.forwarder.host;

import io.sluice.forwarder.conductor.NextHopResolver;
import io.sluice.forwarder.config.IpAddress;
import io.sluice.linux.netlink.Neighbour;
import io.sluice.linux.netlink.Neighbour6;
import io.sluice.linux.netlink.RouteLookup;
import io.sluice.linux.netlink.RtNetlink;

import java.net.Inet6Address;
import java.util.HashMap;
import java.util.Map;

/**
 * Finds a real's next-hop MAC the way the kernel would: the route to the real gives the
 * next hop (its gateway, or the real itself when on-link), the neighbour table gives that hop's
 * MAC. When the kernel does not know it yet, the resolver asks the kernel to resolve it (ARP, or
 * neighbour solicitation for IPv6)
 * and answers "not yet"; the conductor asks again on its next refresh. Nothing is hard-coded.
 *
 * <p>Runs on the conductor thread only, off the data path. One neighbour dump serves all the
 * lookups of a refresh.
 */
public final class NeighbourResolver implements NextHopResolver, AutoCloseable
{
    private static final long DUMP_REUSE_NS = 200_000_000L;

    private final RtNetlink netlink;
    private final int ifIndex;
    /** Usable neighbours on the interface: IPv4 ones by their int, IPv6 ones by their {@link Inet6Address}. */
    private final Map<Object, Long> macByHop = new HashMap<>();
    private boolean dumped;
    private long dumpedAtNs;

    public NeighbourResolver(final RtNetlink netlink, final int ifIndex)
    {
        this.netlink = netlink;
        this.ifIndex = ifIndex;
    }

    @Override
    public long resolveMac(final IpAddress address)
    {
        refreshNeighbours();
        final Long mac;
        if (address.isIpv4())
        {
            final int hop = nextHop(address.ipv4());
            mac = macByHop.get(hop);
            if (mac == null)
            {
                solicit(() -> netlink.solicitNeighbour(ifIndex, hop));
            }
        }
        else
        {
            final Inet6Address hop = nextHop((Inet6Address)address.inetAddress());
            mac = macByHop.get(hop);
            if (mac == null)
            {
                solicit(() -> netlink.solicitNeighbour6(ifIndex, hop));
            }
        }
        return mac == null ? 0L : mac;
    }

    /**
     * Asks the kernel to resolve a hop (ARP or neighbour solicitation). An address outside every
     * connected network cannot be solicited; the real stays unresolved and its packets are
     * counted as no-next-hop drops.
     */
    private static void solicit(final Runnable request)
    {
        try
        {
            request.run();
        }
        catch (final RuntimeException ex)
        {
            // see above: unresolved until a route appears
        }
    }

    private int nextHop(final int ipv4)
    {
        try
        {
            final RouteLookup route = netlink.routeTo(ipv4);
            return route.gateway() != 0 ? route.gateway() : ipv4;
        }
        catch (final RuntimeException ex)
        {
            return ipv4;
        }
    }

    private Inet6Address nextHop(final Inet6Address address)
    {
        try
        {
            return netlink.routeTo6(address).nextHop(address);
        }
        catch (final RuntimeException ex)
        {
            return address;
        }
    }

    private void refreshNeighbours()
    {
        final long nowNs = System.nanoTime();
        if (dumped && nowNs - dumpedAtNs < DUMP_REUSE_NS)
        {
            return;
        }
        dumped = true;
        dumpedAtNs = nowNs;
        macByHop.clear();
        for (final Neighbour neighbour : netlink.neighbours())
        {
            if (neighbour.usable() && neighbour.ifIndex() == ifIndex)
            {
                macByHop.put(neighbour.ipv4(), neighbour.mac());
            }
        }
        for (final Neighbour6 neighbour : netlink.neighbours6())
        {
            if (neighbour.usable() && neighbour.ifIndex() == ifIndex)
            {
                macByHop.put(neighbour.address(), neighbour.mac());
            }
        }
    }

    @Override
    public void close()
    {
        netlink.close();
    }
}
