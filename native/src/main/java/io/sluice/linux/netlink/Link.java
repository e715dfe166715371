package io.sluice.linux.netlink;

/**
 * A network interface as RTM_GETLINK reports it.
 *
 * @param index the ifindex.
 * @param name  the interface name.
 * @param mac   the hardware address, 48 bits in a long (first byte on the wire in bits 47..40);
 *              0 when the link has none or it is not 6 bytes long.
 * @param mtu   the MTU.
 * @param up    whether the interface is administratively up (IFF_UP).
 */
public record Link(int index, String name, long mac, int mtu, boolean up)
{
    @Override
    public String toString()
    {
        return "Link[" + index + " " + name + " " + Addresses.mac(mac) + " mtu " + mtu + (up ? " up" : " down") + "]";
    }
}
