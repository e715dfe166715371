package io.sluice.control.daemon;

import io.sluice.forwarder.conductor.NextHopResolver;
import io.sluice.forwarder.config.IpAddress;
import io.sluice.linux.netlink.Neighbour;
import io.sluice.linux.netlink.RouteLookup;
import io.sluice.linux.netlink.RtNetlink;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds a real's next-hop MAC the way the kernel would: the route to the real gives the
 * next hop (its gateway, or the real itself when on-link), the neighbour table gives that hop's
 * MAC. When the kernel does not know it yet, the resolver asks the kernel to resolve it (ARP)
 * and answers "not yet"; the conductor asks again on its next refresh. Nothing is hard-coded.
 *
 * <p>Runs on the conductor thread only, off the data path. One neighbour dump serves all the
 * lookups of a refresh.
 */
final class NeighbourResolver implements NextHopResolver, AutoCloseable
{
    private static final long DUMP_REUSE_NS = 200_000_000L;

    private final RtNetlink netlink;
    private final int ifIndex;
    private final Map<Long, Long> macByHop = new HashMap<>();
    private boolean dumped;
    private long dumpedAtNs;

    NeighbourResolver(final RtNetlink netlink, final int ifIndex)
    {
        this.netlink = netlink;
        this.ifIndex = ifIndex;
    }

    @Override
    public long resolveMac(final IpAddress address)
    {
        if (!address.isIpv4())
        {
            return 0L; // IPv6 next hops: not resolved yet
        }
        final int ipv4 = address.ipv4();
        final int hop = nextHop(ipv4);
        refreshNeighbours();
        final Long mac = macByHop.get(key(ifIndex, hop));
        if (mac != null)
        {
            return mac;
        }
        try
        {
            netlink.solicitNeighbour(ifIndex, hop);
        }
        catch (final RuntimeException ex)
        {
            // An address outside every connected network cannot be solicited; the real stays
            // unresolved and its packets are counted as no-next-hop drops.
        }
        return 0L;
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
        final List<Neighbour> neighbours = netlink.neighbours();
        for (final Neighbour neighbour : neighbours)
        {
            if (neighbour.usable())
            {
                macByHop.put(key(neighbour.ifIndex(), neighbour.ipv4()), neighbour.mac());
            }
        }
    }

    private static Long key(final int ifIndex, final int ipv4)
    {
        return ((long)ifIndex << 32) | (ipv4 & 0xFFFF_FFFFL);
    }

    @Override
    public void close()
    {
        netlink.close();
    }
}
