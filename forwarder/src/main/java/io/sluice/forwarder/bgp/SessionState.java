package io.sluice.forwarder.bgp;

import java.util.Locale;

/**
 * A BGP session's state as BIRD's {@code show protocols} reports it; {@link #code} is what the
 * control file's counter holds, so {@code sluice stats} can name it again.
 */
public enum SessionState
{
    /** BIRD is not running, or the protocol is disabled. */
    DOWN,
    IDLE,
    CONNECT,
    ACTIVE,
    OPENSENT,
    OPENCONFIRM,
    ESTABLISHED;

    public int code()
    {
        return ordinal();
    }

    /** @return the state with this code, or {@link #DOWN} for one this version does not know. */
    public static SessionState ofCode(final long code)
    {
        return code >= 0 && code < values().length ? values()[(int)code] : DOWN;
    }

    /** @param info the first word of a BGP row's Info column ({@code Established}), or "" when there is none. */
    static SessionState ofBird(final String info)
    {
        for (final SessionState state : values())
        {
            if (state.name().equalsIgnoreCase(info))
            {
                return state;
            }
        }
        return DOWN;
    }

    public String label()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
