package io.sluice.l7.dns;

import io.sluice.l7.config.L7Config;
import io.sluice.l7.config.Pool;
import io.sluice.l7.config.Server;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The addresses of a configuration's names at one moment, and the lookups that found new names (which
 * {@link ServerDiscovery#watch} goes on from).
 */
public final class Resolution
{
    /** By name; a name that has not resolved has none. */
    private final Map<String, List<InetAddress>> addresses;
    /** The first answers of the names looked up for this configuration. */
    final Map<String, Answer> found;
    /** What looked them up, and looks them up from now on once they are watched; null when there are no names. */
    final NameLookup lookup;

    Resolution(final Map<String, List<InetAddress>> addresses, final Map<String, Answer> found, final NameLookup lookup)
    {
        this.addresses = Map.copyOf(addresses);
        this.found = Map.copyOf(found);
        this.lookup = lookup;
    }

    /**
     * {@code config} with each server named by DNS replaced by a server per address of its name
     * ({@link Server#at}: {@code api#198.18.0.31}, the same port, weight and limit), in the order of the file and
     * of the answer; servers named by address stay as they are.
     */
    public L7Config serve(final L7Config config)
    {
        final Map<String, Pool> pools = new LinkedHashMap<>();
        for (final Pool pool : config.pools().values())
        {
            final List<Server> servers = new ArrayList<>();
            for (final Server server : pool.servers())
            {
                if (server.address().isUnresolved())
                {
                    addresses.getOrDefault(server.address().getHostString(), List.of()).forEach(address ->
                        servers.add(server.at(address)));
                }
                else
                {
                    servers.add(server);
                }
            }
            pools.put(pool.name(), pool.withServers(servers));
        }
        return config.withPools(pools);
    }
}
