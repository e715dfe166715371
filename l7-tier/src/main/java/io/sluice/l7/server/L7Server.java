package io.sluice.l7.server;

import io.sluice.l7.config.L7Config;
import io.sluice.l7.config.Listener;
import io.sluice.l7.proxy.L7Proxy;
import io.sluice.l7.proxy.Transport;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * {@code sluice l7}: a configuration's listeners, routes and pools running as one proxy, which
 * a reload changes without dropping a connection and a drain ends without cutting an exchange.
 */
public final class L7Server implements AutoCloseable
{
    private final ReloadableRouter router;
    private final L7Proxy proxy;
    private volatile L7Config config;

    /** @param threads event loop threads; 0 for one per available processor. */
    public L7Server(final L7Config config, final int threads)
    {
        this.config = config;
        this.router = new ReloadableRouter(new ConfiguredRouter(config));
        this.proxy = new L7Proxy(Transport.best(), threads > 0 ? threads : Runtime.getRuntime().availableProcessors(),
            addresses(config), router, config.timeouts());
    }

    public L7Config config()
    {
        return config;
    }

    /** The current configuration's routes and pools. */
    public ConfiguredRouter router()
    {
        return router.current();
    }

    /**
     * Serves {@code next} from now on: listeners bound or closed to match (open connections
     * stay), the next request routed by the new routes and pools, timeouts applied to new
     * connections. If a new listener cannot be bound nothing changes and the exception says why.
     */
    public synchronized void reload(final L7Config next)
    {
        final ConfiguredRouter nextRouter = new ConfiguredRouter(next);
        proxy.listen(addresses(next));
        proxy.timeouts(next.timeouts());
        router.replace(nextRouter);
        config = next;
    }

    /**
     * Stops accepting and lets every connection finish its exchange in flight, up to
     * {@code timeout}. @return whether all ended on their own.
     */
    public boolean drain(final java.time.Duration timeout)
    {
        return proxy.drain(timeout);
    }

    /** Open client connections now. */
    public int clientConnections()
    {
        return proxy.clientConnections();
    }

    private static List<InetSocketAddress> addresses(final L7Config config)
    {
        return config.listeners().stream().map(Listener::address).toList();
    }

    public List<InetSocketAddress> boundAddresses()
    {
        return proxy.boundAddresses();
    }

    public String transportName()
    {
        return proxy.transportName();
    }

    @Override
    public void close()
    {
        proxy.close();
    }
}
