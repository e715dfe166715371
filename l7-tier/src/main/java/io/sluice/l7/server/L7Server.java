package io.sluice.l7.server;

import io.sluice.l7.config.L7Config;
import io.sluice.l7.config.Listener;
import io.sluice.l7.proxy.L7Proxy;
import io.sluice.l7.proxy.Transport;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * {@code sluice l7}: a configuration's listeners, routes and pools running as one proxy.
 */
public final class L7Server implements AutoCloseable
{
    private final L7Config config;
    private final ConfiguredRouter router;
    private final L7Proxy proxy;

    /** @param threads event loop threads; 0 for one per available processor. */
    public L7Server(final L7Config config, final int threads)
    {
        this.config = config;
        this.router = new ConfiguredRouter(config);
        final List<InetSocketAddress> addresses = config.listeners().stream().map(Listener::address).toList();
        this.proxy = new L7Proxy(Transport.best(), threads > 0 ? threads : Runtime.getRuntime().availableProcessors(),
            addresses, router, config.timeouts().connect(), config.timeouts().idle());
    }

    public L7Config config()
    {
        return config;
    }

    public ConfiguredRouter router()
    {
        return router;
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
