package io.sluice.linux.netlink;

import static io.sluice.linux.netlink.Neighbour.NUD_DELAY;
import static io.sluice.linux.netlink.Neighbour.NUD_FAILED;
import static io.sluice.linux.netlink.Neighbour.NUD_INCOMPLETE;
import static io.sluice.linux.netlink.Neighbour.NUD_NOARP;
import static io.sluice.linux.netlink.Neighbour.NUD_PERMANENT;
import static io.sluice.linux.netlink.Neighbour.NUD_PROBE;
import static io.sluice.linux.netlink.Neighbour.NUD_REACHABLE;
import static io.sluice.linux.netlink.Neighbour.NUD_STALE;

/** What the NUD_* state of an ARP ({@link Neighbour}) or NDP ({@link Neighbour6}) entry means: one rule for both. */
final class NeighbourStates
{
    private static final int USABLE_STATES =
        NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | NUD_PERMANENT | NUD_NOARP;

    private NeighbourStates()
    {
    }

    /** @see Neighbour#usable() */
    static boolean usable(final int state, final long mac)
    {
        return (state & USABLE_STATES) != 0 && mac != 0;
    }

    static String name(final int state)
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
}
