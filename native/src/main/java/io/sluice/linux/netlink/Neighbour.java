package io.sluice.linux.netlink;

/**
 * An IPv4 neighbour (ARP) entry (RTM_GETNEIGH). {@link Neighbour6} is its IPv6 (NDP) counterpart.
 *
 * @param ipv4  the neighbour's address, as the int the wire carries.
 * @param mac   its hardware address, 48 bits in a long (first byte in bits 47..40); 0 when unknown.
 * @param state NUD_* bits from {@code linux/neighbour.h}.
 */
public record Neighbour(int ifIndex, int ipv4, long mac, int state)
{
    public static final int NUD_INCOMPLETE = 0x01;
    public static final int NUD_REACHABLE = 0x02;
    public static final int NUD_STALE = 0x04;
    public static final int NUD_DELAY = 0x08;
    public static final int NUD_PROBE = 0x10;
    public static final int NUD_FAILED = 0x20;
    public static final int NUD_NOARP = 0x40;
    public static final int NUD_PERMANENT = 0x80;

    /**
     * @return whether frames may be sent to {@link #mac()}: the kernel has (or had recently and is
     *         re-checking) a MAC for this neighbour. STALE still counts, as it does for the kernel,
     *         which keeps sending to a stale entry while it re-probes.
     */
    public boolean usable()
    {
        return NeighbourStates.usable(state, mac);
    }

    public String stateName()
    {
        return NeighbourStates.name(state);
    }

    @Override
    public String toString()
    {
        return "Neighbour[" + Addresses.ipv4(ipv4) + " " + Addresses.mac(mac) + " " + stateName() + " ifindex " + ifIndex + "]";
    }
}
