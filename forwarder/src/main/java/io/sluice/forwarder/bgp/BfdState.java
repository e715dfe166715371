package io.sluice.forwarder.bgp;

import java.util.Locale;

/**
 * A BFD session's state as BIRD's {@code show bfd sessions} reports it (RFC 5880's four states,
 * plus {@link #NONE} while BIRD has no session to that neighbour); {@link #code} is what the
 * control file's counter holds, so {@code sluice stats} can name it again.
 */
public enum BfdState
{
    /** No session: BIRD is not running, or its BGP session has not asked BFD for one yet. */
    NONE,
    ADMIN_DOWN,
    DOWN,
    INIT,
    UP;

    public int code()
    {
        return ordinal();
    }

    /** @return the state with this code, or {@link #NONE} for one this version does not know. */
    public static BfdState ofCode(final long code)
    {
        return code >= 0 && code < values().length ? values()[(int)code] : NONE;
    }

    /** @param state BIRD's name for it: {@code AdminDown}, {@code Down}, {@code Init} or {@code Up}. */
    static BfdState ofBird(final String state)
    {
        for (final BfdState candidate : values())
        {
            if (candidate.name().replace("_", "").equalsIgnoreCase(state))
            {
                return candidate;
            }
        }
        return NONE;
    }

    public String label()
    {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
