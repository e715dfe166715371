package io.sluice.control.doctor;

import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.config.VipConfig;

import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * How the forwarder's kernel routes each VIP of the running forwarder's configuration. It must
 * not own a VIP (it would answer its copies of VIP packets itself, resetting clients' connections),
 * and an IPv6 VIP needs a route: without one the kernel answers its copy with ICMPv6 "no route",
 * which resets the client's connection just the same.
 */
public final class VipRouteCheck implements Check
{
    static final String NAME = "vip-routes";

    private final List<VipConfig> vips;

    public VipRouteCheck(final List<VipConfig> vips)
    {
        this.vips = vips;
    }

    @Override
    public Finding run(final Host host)
    {
        if (vips.isEmpty())
        {
            return Finding.pass(NAME, "no VIPs configured (none in --state-dir)");
        }
        final TreeSet<IpAddress> addresses = new TreeSet<>();
        vips.forEach((vip) -> addresses.add(vip.key().address()));
        for (final IpAddress vip : addresses)
        {
            final Optional<HostNetwork.RouteAnswer> route = host.network().routeTo(vip);
            if (route.isPresent() && route.get().local())
            {
                return Finding.warn(NAME, "VIP " + vip + " is an address of this host (" + route.get().iface() +
                    "): its kernel answers the copies it gets (with --io packet, all of them)",
                    "ip addr del " + vip + "/" + (vip.isIpv4() ? 32 : 128) + " dev " + route.get().iface());
            }
            if (route.isEmpty() && !vip.isIpv4())
            {
                return Finding.warn(NAME, "no route to IPv6 VIP " + vip + ": with --io packet the kernel answers its copy " +
                    "of each packet with ICMPv6 no route, resetting the client", "ip -6 route add blackhole " + vip + "/128");
            }
        }
        return Finding.pass(NAME, addresses.size() + " VIP address(es), none owned by this host, each with a route");
    }
}
