package io.sluice.linux.netlink;

/**
 * An IPv4 neighbour (ARP) entry (RTM_GETNEIGH).
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

    private static final int USABLE_STATES =
        NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | NUD_PERMANENT | NUD_NOARP;

    /**
     * @return whether frames may be sent to {@link #mac()}: the kernel has (or had recently and is
     *         re-checking) a MAC for this neighbour. STALE still counts, as it does for the kernel,
     *         which keeps sending to a stale entry while it re-probes.
     */
    public boolean usable()
    {
        return (state & USABLE_STATES) != 0 && mac != 0;
    }

    public String stateName()
    {
        return switch (state)
        {
            case 0 -> "NONE";
            case NUD_INCOMPLETE -> "INCOMPLETE";
            case NUD_REACHABLE -> "REACHABLE";
            case NUD_STALE -> "STALE";
            case NUD_DELAY -> "DELAY";
            case NUD_PROBE -> "PROBE";
            case NUD_FAILED -> "FAILED";
            case NUD_NOARP -> "NOARP";
            case NUD_PERMANENT -> "PERMANENT";
            default -> "0x" + Integer.toHexString(state);
        };
    }

    @Override
    public String toString()
    {
        return "Neighbour[" + Addresses.ipv4(ipv4) + " " + Addresses.mac(mac) + " " + stateName() + " ifindex " + ifIndex + "]";
    }
}
