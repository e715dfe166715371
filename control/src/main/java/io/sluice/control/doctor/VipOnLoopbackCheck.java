package io.sluice.control.doctor;

import io.sluice.forwarder.config.IpAddress;

import java.util.List;

/**
 * On a real: whether it holds the VIP on lo (or on a tunnel device), so it accepts the packets the
 * forwarder sends it without answering ARP for the VIP. On an Ethernet interface it would claim
 * the VIP on the segment and take its traffic away from the forwarder.
 */
public final class VipOnLoopbackCheck implements Check
{
    static final String NAME = "vip-on-lo";
    /** ARPHRD_TUNNEL and ARPHRD_TUNNEL6: ipip and ip6tnl devices, which tunnel mode's reals may hold the VIP on. */
    private static final List<String> TUNNEL_TYPES = List.of("768", "769");

    private final IpAddress vip;

    public VipOnLoopbackCheck(final IpAddress vip)
    {
        this.vip = vip;
    }

    @Override
    public Finding run(final Host host)
    {
        final int hostPrefix = vip.isIpv4() ? 32 : 128;
        final String add = "ip addr add " + vip + "/" + hostPrefix + " dev lo";
        final List<HostNetwork.Address> held = host.network().addresses().stream()
            .filter((address) -> address.address().equals(vip)).toList();
        if (held.isEmpty())
        {
            return Finding.fail(NAME, "VIP " + vip + " is on no interface: this real drops the packets the forwarder sends it",
                add);
        }
        for (final HostNetwork.Address address : held)
        {
            final String type = host.files().read("/sys/class/net/" + address.iface() + "/type").orElse("");
            if (!"lo".equals(address.iface()) && !TUNNEL_TYPES.contains(type))
            {
                return Finding.fail(NAME, "VIP " + vip + " is on " + address.iface() +
                    ": this real answers ARP for it and takes the VIP's traffic away from the forwarder",
                    "ip addr del " + vip + "/" + address.prefixLength() + " dev " +
                    address.iface() + "; " + add);
            }
            if (address.prefixLength() != hostPrefix)
            {
                return Finding.warn(NAME, "VIP " + vip + " is on " + address.iface() + " as /" + address.prefixLength() +
                    ": every address of that prefix is local to this real", "ip addr del " + vip + "/" + address.prefixLength() +
                    " dev " + address.iface() + "; " + add);
            }
        }
        return Finding.pass(NAME, "VIP " + vip + "/" + hostPrefix + " on " + held.getFirst().iface());
    }
}
