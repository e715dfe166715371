package io.sluice.forwarder.config;

import java.util.Locale;

/** How a new flow picks its real. */
public enum SchedulerKind
{
    /** Maglev consistent hashing over the 5-tuple (the default). */
    MAGLEV,
    /** Maglev over the client address only: IP affinity. */
    SOURCE_HASH,
    /** Weighted round-robin of new flows. */
    ROUND_ROBIN,
    /** Weighted least-connection (IPVS's wlc): the real with the fewest live flows per weight. */
    LEAST_CONNECTION;

    public String label()
    {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** @throws ConfigException if the text names no scheduler. */
    public static SchedulerKind parse(final String text)
    {
        return switch (text)
        {
            case "maglev" -> MAGLEV;
            case "source-hash" -> SOURCE_HASH;
            case "round-robin" -> ROUND_ROBIN;
            case "least-connection" -> LEAST_CONNECTION;
            default -> throw new ConfigException(
                "unknown scheduler '" + text + "' (expected maglev, source-hash, round-robin or least-connection)");
        };
    }
}
