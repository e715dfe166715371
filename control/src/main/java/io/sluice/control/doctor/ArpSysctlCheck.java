package io.sluice.control.doctor;

import io.sluice.forwarder.config.IpAddress;

import java.util.ArrayList;
import java.util.List;

/**
 * On a real: whether it keeps quiet about the VIP on its lo. With arp_ignore 0 Linux answers
 * ARP on any interface for any local address, so the segment sends VIP traffic straight to this
 * real, around the forwarder; with arp_announce below 2 its own ARP requests may carry the VIP
 * as their sender address, teaching the segment the same. IPv6 needs neither: Linux answers
 * neighbour solicitations only for the receiving interface's addresses.
 */
public final class ArpSysctlCheck implements Check
{
    static final String NAME = "arp";
    private static final String FIX = "sysctl -w net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2";

    private final IpAddress vip;
    private final String iface;

    /** @param iface the interface facing the forwarder, or null for every interface. */
    public ArpSysctlCheck(final IpAddress vip, final String iface)
    {
        this.vip = vip;
        this.iface = iface;
    }

    @Override
    public Finding run(final Host host)
    {
        if (!vip.isIpv4())
        {
            return Finding.pass(NAME, "an IPv6 VIP on lo is never announced by neighbour discovery");
        }
        final List<String> answering = new ArrayList<>();
        final List<String> announcing = new ArrayList<>();
        final List<String> interfaces = Ipv4ConfSysctls.interfaces(host.files(), iface);
        for (final String name : interfaces)
        {
            final int ignore = Ipv4ConfSysctls.effective(host.files(), name, "arp_ignore").orElse(0);
            final int announce = Ipv4ConfSysctls.effective(host.files(), name, "arp_announce").orElse(0);
            if (ignore == 0)
            {
                answering.add(name);
            }
            if (announce < 2)
            {
                announcing.add(name + " (" + announce + ")");
            }
        }
        if (!answering.isEmpty())
        {
            return Finding.fail(NAME, "arp_ignore 0 on " + String.join(", ", answering) +
                ": this real answers ARP for VIP " + vip + ", so the segment sends its traffic here around the forwarder", FIX);
        }
        if (!announcing.isEmpty())
        {
            return Finding.warn(NAME, "arp_announce below 2 on " + String.join(", ", announcing) +
                ": ARP requests from this real may name VIP " + vip + " as their sender", FIX);
        }
        return Finding.pass(NAME, "arp_ignore >= 1 and arp_announce 2 on " + String.join(", ", interfaces));
    }
}
