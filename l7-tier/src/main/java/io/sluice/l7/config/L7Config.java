package io.sluice.l7.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole {@code sluice l7} configuration file, validated: every route names pools that exist,
 * every pool has servers, every duration, size and weight is in range. Immutable; a reload builds a
 * new one and swaps it in whole, or keeps the old one when the new file is refused.
 *
 * @param listeners where clients connect (at least one).
 * @param routes    tried in order; the first whose match accepts the request wins.
 * @param pools     by name, in file order.
 * @param timeouts  for every listener and pool.
 * @param admin     the admin endpoint, or null for none.
 * @param limits    how much of a request is read before it is refused ({@link RequestLimits#DEFAULTS} when the file sets none).
 * @param redis     the store global rate limits are counted in, or null when the file names none.
 * @param dns       how servers named by DNS name are resolved ({@link DnsSettings#DEFAULTS} when the file sets none).
 */
public record L7Config(List<Listener> listeners, List<Route> routes, Map<String, Pool> pools, Timeouts timeouts, Admin admin,
    RequestLimits limits, RedisSettings redis, DnsSettings dns)
{
    public L7Config
    {
        listeners = List.copyOf(listeners);
        routes = List.copyOf(routes);
        pools = Collections.unmodifiableMap(new LinkedHashMap<>(pools));
    }

    /** A configuration that resolves names, if it has any, by the defaults. */
    public L7Config(final List<Listener> listeners, final List<Route> routes, final Map<String, Pool> pools,
        final Timeouts timeouts, final Admin admin, final RequestLimits limits, final RedisSettings redis)
    {
        this(listeners, routes, pools, timeouts, admin, limits, redis, DnsSettings.DEFAULTS);
    }

    /** The same configuration with other pools (the same names, their servers' names resolved). */
    public L7Config withPools(final Map<String, Pool> resolved)
    {
        return new L7Config(listeners, routes, resolved, timeouts, admin, limits, redis, dns);
    }
}
