package io.sluice.l7.server;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.sluice.l7.accesslog.AccessLog;
import io.sluice.l7.admin.AdminActions;
import io.sluice.l7.admin.AdminServer;
import io.sluice.l7.admin.ServingState;
import io.sluice.l7.config.L7Config;
import io.sluice.l7.config.Listener;
import io.sluice.l7.health.HealthChecker;
import io.sluice.l7.metrics.L7Metrics;
import io.sluice.l7.proxy.ExchangeObservers;
import io.sluice.l7.proxy.L7Proxy;
import io.sluice.l7.proxy.Transport;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code sluice l7}: a configuration's listeners, routes and pools running as one proxy, with
 * its active health checks, metrics, access log and admin endpoint; a reload changes it
 * without dropping a connection, a drain ends it without cutting an exchange.
 */
public final class L7Server implements AutoCloseable
{
    /** How long a drain asked for through the admin endpoint waits for exchanges in flight. */
    public static final Duration ADMIN_DRAIN_TIMEOUT = Duration.ofSeconds(30);

    private final ReloadableRouter router;
    private final L7Metrics metrics = new L7Metrics();
    private final AccessLog accessLog;
    private final L7Proxy proxy;
    private final EventLoopGroup adminLoop;
    private final AdminServer admin;
    private volatile L7Config config;
    private HealthChecker checker;

    /**
     * @param transport  how sockets are driven ({@link Transport#best} unless the user chose).
     * @param threads    event loop threads; 0 for one per available processor.
     * @param accessLog  where a JSON line per request goes, or null for none; closed with the server.
     * @param reloadFile what the admin endpoint's reload does (read the file again and
     *                   {@link #reload}); its exception's message is the refusal.
     */
    public L7Server(final L7Config config, final Transport transport, final int threads, final AccessLog accessLog,
        final Runnable reloadFile)
    {
        this.config = config;
        this.accessLog = accessLog;
        this.router = new ReloadableRouter(new ConfiguredRouter(config));
        this.proxy = new L7Proxy(transport, threads > 0 ? threads : Runtime.getRuntime().availableProcessors(),
            addresses(config), router, config.timeouts(), config.limits(), new ExchangeObservers(metrics, accessLog),
            proxyProtocols(config));
        metrics.idleBackendConnections(proxy::idleBackendConnections);
        if (accessLog != null)
        {
            metrics.accessLogDropped(accessLog::dropped);
        }
        EventLoopGroup loop = null;
        AdminServer server = null;
        try
        {
            checker = HealthChecker.start(router.current().pools().values(), proxy.eventLoops(), proxy.transport(), null);
            if (config.admin() != null)
            {
                loop = new MultiThreadIoEventLoopGroup(1, proxy.transport().ioHandlers());
                server = new AdminServer(config.admin().address(), loop, proxy.transport().serverChannel(), new AdminActions(
                    () -> new ServingState(this.config, proxy.boundAddresses(), router.current().pools(), proxy.draining(),
                        metrics.refusedRequests()),
                    metrics::prometheusText, reloadFile, () -> drain(ADMIN_DRAIN_TIMEOUT)));
            }
        }
        catch (final RuntimeException ex)
        {
            if (loop != null)
            {
                loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
            if (checker != null)
            {
                checker.close();
            }
            proxy.close();
            throw ex;
        }
        this.adminLoop = loop;
        this.admin = server;
    }

    /** A server without an access log whose admin endpoint cannot reload (tests). */
    public L7Server(final L7Config config, final int threads)
    {
        this(config, Transport.best(), threads, null, () ->
        {
            throw new IllegalArgumentException("this server was not started from a file");
        });
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

    public L7Metrics metrics()
    {
        return metrics;
    }

    /** The admin endpoint's address, or null when the configuration has none. */
    public InetSocketAddress adminAddress()
    {
        return admin == null ? null : admin.address();
    }

    /**
     * Serves {@code next} from now on: listeners bound or closed to match (open connections
     * stay), the next request routed by the new routes and pools, health checks and outlier
     * ejections carried over for servers that stay, timeouts and the listeners' proxy_protocol
     * applied to new connections. If a new listener cannot be bound nothing changes and the
     * exception says why. The admin endpoint stays where it was.
     */
    public synchronized void reload(final L7Config next)
    {
        final ConfiguredRouter nextRouter = new ConfiguredRouter(next, router.current());
        final Map<InetSocketAddress, Listener.ProxyProtocol> proxyProtocolsBefore = proxy.proxyProtocols(proxyProtocols(next));
        try
        {
            proxy.listen(addresses(next));
        }
        catch (final RuntimeException ex)
        {
            proxy.proxyProtocols(proxyProtocolsBefore);
            throw ex;
        }
        proxy.timeouts(next.timeouts());
        proxy.limits(next.limits());
        checker = HealthChecker.start(nextRouter.pools().values(), proxy.eventLoops(), proxy.transport(), checker);
        router.replace(nextRouter);
        config = next;
    }

    /**
     * Stops accepting and lets every connection finish its exchange in flight, up to
     * {@code timeout}. @return whether all ended on their own.
     */
    public boolean drain(final Duration timeout)
    {
        return proxy.drain(timeout);
    }

    /** Open client connections now. */
    public int clientConnections()
    {
        return proxy.clientConnections();
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
    public synchronized void close()
    {
        if (admin != null)
        {
            admin.close();
            adminLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        checker.close();
        proxy.close();
        if (accessLog != null)
        {
            accessLog.close();
        }
    }

    private static List<InetSocketAddress> addresses(final L7Config config)
    {
        return config.listeners().stream().map(Listener::address).toList();
    }

    private static Map<InetSocketAddress, Listener.ProxyProtocol> proxyProtocols(final L7Config config)
    {
        final Map<InetSocketAddress, Listener.ProxyProtocol> policies = new HashMap<>();
        for (final Listener listener : config.listeners())
        {
            if (listener.proxyProtocol() != null)
            {
                policies.put(listener.address(), listener.proxyProtocol());
            }
        }
        return policies;
    }
}
