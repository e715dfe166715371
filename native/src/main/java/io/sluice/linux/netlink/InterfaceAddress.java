package io.sluice.linux.netlink;

import io.sluice.linux.Libc;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * An address assigned to an interface (RTM_GETADDR): the local address (IFA_LOCAL, or
 * IFA_ADDRESS when there is no separate local one) and its prefix.
 *
 * @param family  AF_INET (2) or AF_INET6 (10).
 * @param address an {@link Inet4Address} for AF_INET; an {@link Inet6Address} without a scope id
 *                for AF_INET6, IPv4-mapped ones included.
 */
public record InterfaceAddress(int ifIndex, int family, InetAddress address, int prefixLength)
{
    public boolean isIpv4()
    {
        return family == Libc.AF_INET;
    }

    public boolean isIpv6()
    {
        return family == Libc.AF_INET6;
    }

    /**
     * @return the IPv4 address as the int the wire carries.
     * @throws IllegalStateException when this is not an IPv4 address.
     */
    public int ipv4()
    {
        if (!(address instanceof Inet4Address))
        {
            throw new IllegalStateException(address + " is not an IPv4 address");
        }
        final byte[] bytes = address.getAddress();
        return ((bytes[0] & 0xFF) << 24) | ((bytes[1] & 0xFF) << 16) | ((bytes[2] & 0xFF) << 8) | (bytes[3] & 0xFF);
    }

    /**
     * @return the IPv6 address, as {@link RtNetlink#routeTo6} and {@link Neighbour6} take and give them.
     * @throws IllegalStateException when this is not an IPv6 address.
     */
    public Inet6Address ipv6()
    {
        if (!(address instanceof Inet6Address ipv6))
        {
            throw new IllegalStateException(address + " is not an IPv6 address");
        }
        return ipv6;
    }

    @Override
    public String toString()
    {
        final String text = address instanceof Inet6Address ipv6 ? Addresses.ipv6(ipv6) : address.getHostAddress();
        return "InterfaceAddress[" + text + "/" + prefixLength + " ifindex " + ifIndex + "]";
    }
}
