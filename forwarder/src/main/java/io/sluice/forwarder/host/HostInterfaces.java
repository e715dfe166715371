package io.sluice.forwarder.host;

import io.sluice.forwarder.config.IpAddress;
import io.sluice.linux.netlink.Link;
import io.sluice.linux.netlink.RtNetlink;

import java.util.List;
import java.util.Optional;

/**
 * The interfaces a forwarder runs on, looked up by name in its own network namespace (where /sys
 * may show another one's), and their addresses when it starts.
 *
 * @param link           the interface packets arrive on and leave by (the clients' side, with an egress interface).
 * @param egressLink     the interface to reals, or null when that is {@code link} too.
 * @param localAddresses both interfaces' IPv4 and IPv6 addresses, sorted: a NAT real's packets to them are the kernel's.
 */
public record HostInterfaces(Link link, Link egressLink, List<IpAddress> localAddresses)
{
    /**
     * @param egressIface null for none.
     * @throws IllegalArgumentException naming an interface this network namespace does not have.
     */
    public static HostInterfaces lookUp(final String iface, final String egressIface)
    {
        try (RtNetlink netlink = RtNetlink.open())
        {
            final Optional<Link> link = netlink.link(iface);
            final Optional<Link> egress = egressIface == null ? link : netlink.link(egressIface);
            if (link.isEmpty() || egress.isEmpty())
            {
                throw new IllegalArgumentException("no interface '" + (link.isEmpty() ? iface : egressIface) +
                    "' in this network namespace");
            }
            final int[] indexes = {link.get().index(), egress.get().index()};
            return new HostInterfaces(link.get(), egressIface == null ? null : egress.get(),
                LocalAddressWatcher.read(netlink, indexes));
        }
    }

    /** The interface packets to reals leave by: their next hops are its neighbours. */
    public Link toReals()
    {
        return egressLink == null ? link : egressLink;
    }

    /** Both interfaces' indexes (the one twice without an egress interface). */
    public int[] indexes()
    {
        return new int[]{link.index(), toReals().index()};
    }

    /** For the start-up line, e.g. {@code "eth0 (index 2, mac 02:00:00:00:00:01), to reals by eth1 (index 3, mac ...)"}. */
    public String description()
    {
        return describe(link) + (egressLink == null ? "" : ", to reals by " + describe(egressLink));
    }

    private static String describe(final Link on)
    {
        return on.name() + " (index " + on.index() + ", mac " + formatMac(on.mac()) + ")";
    }

    static String formatMac(final long mac)
    {
        final StringBuilder text = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8)
        {
            if (text.length() > 0)
            {
                text.append(':');
            }
            final int octet = (int)(mac >>> shift) & 0xFF;
            text.append(Character.forDigit(octet >>> 4, 16)).append(Character.forDigit(octet & 0xF, 16));
        }
        return text.toString();
    }
}
