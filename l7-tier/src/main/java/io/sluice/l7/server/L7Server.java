package io.sluice.l7.server;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.sluice.l7.accesslog.AccessLog;
import io.sluice.l7.admin.AdminActions;
import io.sluice.l7.cache.ResponseCache;
import io.sluice.l7.admin.AdminServer;
import io.sluice.l7.admin.ServingState;
import io.sluice.l7.config.L7Config;
import io.sluice.l7.config.Listener;
import io.sluice.l7.config.ListenerTls;
import io.sluice.l7.config.Pool;
import io.sluice.l7.config.Server;
import io.sluice.l7.config.TlsFiles;
import io.sluice.l7.dns.Resolution;
import io.sluice.l7.dns.ServerDiscovery;
import io.sluice.l7.health.HealthChecker;
import io.sluice.l7.metrics.L7Metrics;
import io.sluice.l7.metrics.TlsMetrics;
import io.sluice.l7.proxy.ConnectionsPerClient;
import io.sluice.l7.proxy.ExchangeObservers;
import io.sluice.l7.proxy.L7Proxy;
import io.sluice.l7.proxy.ListenerSecurity;
import io.sluice.l7.proxy.Transport;
import io.sluice.l7.ratelimit.SharedLimiter;
import io.sluice.l7.tls.CertificateWatcher;
import io.sluice.l7.tls.ServedCertificate;
import io.sluice.l7.tls.ServerTls;
import io.sluice.l7.tls.TlsProvider;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

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
    /** {@link #config} with its servers' DNS names resolved: what the pools serve, and {@code /status} shows. */
    private volatile L7Config served;
    /** Looks the servers' DNS names up, and again on their TTLs; a changed answer serves the pools again. */
    private final ServerDiscovery discovery = new ServerDiscovery(this::answersChanged);
    private boolean closed;
    private HealthChecker checker;
    /** Reads the TLS files again when they change, and serves them to new handshakes. */
    private final CertificateWatcher watcher = new CertificateWatcher(this::certificatesChanged);

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
        final Resolution resolution;
        try
        {
            resolution = discovery.resolve(config);
            this.served = resolution.serve(config);
            this.router = new ReloadableRouter(new ConfiguredRouter(served, null, this::sharedLimiter));
        }
        catch (final RuntimeException ex)
        {
            discovery.close();
            throw ex;
        }
        // bound below, once each listener's TLS is in place: a connection is never accepted before it
        this.proxy = new L7Proxy(transport, threads > 0 ? threads : Runtime.getRuntime().availableProcessors(),
            List.of(), router, config.timeouts(), config.limits(), new ExchangeObservers(metrics, accessLog),
            proxyProtocols(config));
        metrics.idleBackendConnections(proxy::idleBackendConnections);
        metrics.concurrency().loads(() -> router.current().loads());
        proxy.connectionsPerClient(ConnectionsPerClient.of(config.listeners(), Map.of(), metrics.concurrency()));
        metrics.caches(() -> router.current().caches().values().stream().map(ResponseCache::stats).toList());
        metrics.dns(discovery::stats);
        if (accessLog != null)
        {
            metrics.accessLogDropped(accessLog::dropped);
        }
        metrics.tls().certificates(() -> servedCertificates().stream()
            .map((served) -> new TlsMetrics.Expiry(served.listener(), served.file(), served.notAfter(),
                served.ocspNextUpdate())).toList());
        EventLoopGroup loop = null;
        AdminServer server = null;
        try
        {
            proxy.security(security(config, UnaryOperator.identity()));
            proxy.redis(config.redis());
            proxy.listen(addresses(config));
            watcher.watch(tlsFiles(config));
            checker = HealthChecker.start(router.current().pools().values(), proxy.eventLoops(), proxy.transport(), null);
            if (config.admin() != null)
            {
                loop = new MultiThreadIoEventLoopGroup(1, proxy.transport().ioHandlers());
                server = new AdminServer(config.admin().address(), loop, proxy.transport().serverChannel(), new AdminActions(
                    () -> new ServingState(this.served, proxy.boundAddresses(), router.current().pools(), proxy.draining(),
                        metrics.refusedRequests(), servedCertificates()),
                    metrics::prometheusText, reloadFile, () -> drain(ADMIN_DRAIN_TIMEOUT),
                    purge -> purge.applyTo(router.current().caches())));
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
            discovery.close();
            watcher.close();
            proxy.close();
            throw ex;
        }
        this.adminLoop = loop;
        this.admin = server;
        discovery.watch(config, resolution);
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

    /**
     * The proxy's store for global rate limits, as the routes read it per decision: the routes
     * are made before the proxy that holds it, and keep asking the proxy for the one it has now.
     */
    private SharedLimiter sharedLimiter()
    {
        return proxy.sharedLimiter();
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
     * applied to new connections, TLS listeners' certificates and ticket keys (as {@code next}
     * read them) to new handshakes. If the TLS engine refuses a setting or a new listener cannot
     * be bound, or a server's new DNS name does not resolve (with {@code dns.unresolved: refuse}), nothing changes
     * and the exception says why. Names that stay keep their addresses and lookups; new ones are looked up here,
     * the calling thread waiting for their answers. The admin endpoint stays where it was.
     */
    public synchronized void reload(final L7Config next)
    {
        final Resolution resolution = discovery.resolve(next);
        final L7Config nextServed = resolution.serve(next);
        final Map<InetSocketAddress, ListenerSecurity> nextSecurity = security(next, UnaryOperator.identity());
        final ConfiguredRouter nextRouter = new ConfiguredRouter(nextServed, router.current(), this::sharedLimiter);
        final Map<InetSocketAddress, Listener.ProxyProtocol> proxyProtocolsBefore = proxy.proxyProtocols(proxyProtocols(next));
        final Map<InetSocketAddress, ConnectionsPerClient> perClientBefore = proxy.connectionsPerClient(
            ConnectionsPerClient.of(next.listeners(), proxy.connectionsPerClient(), metrics.concurrency()));
        final Map<InetSocketAddress, ListenerSecurity> previous = proxy.security();
        // A new listener needs its TLS before it is bound; those that stay keep theirs until the binding succeeded.
        final Map<InetSocketAddress, ListenerSecurity> binding = new HashMap<>(nextSecurity);
        binding.putAll(previous);
        proxy.security(binding);
        try
        {
            proxy.listen(addresses(next));
        }
        catch (final RuntimeException ex)
        {
            proxy.proxyProtocols(proxyProtocolsBefore);
            proxy.connectionsPerClient(perClientBefore);
            proxy.security(previous);
            throw ex;
        }
        proxy.security(nextSecurity);
        watcher.watch(tlsFiles(next));
        proxy.timeouts(next.timeouts());
        proxy.limits(next.limits());
        proxy.redis(next.redis());
        checker = HealthChecker.start(nextRouter.pools().values(), proxy.eventLoops(), proxy.transport(), checker);
        router.replace(nextRouter);
        discovery.watch(next, resolution);
        config = next;
        served = nextServed;
    }

    /**
     * A server's DNS name answered other addresses (the discovery's thread): the pools serve them from now on,
     * the addresses that stay keeping their health, ejections, in-flight counts and sticky cookies, as across a
     * reload; the routes and their filters go on untouched. One line says so.
     */
    private synchronized void answersChanged()
    {
        if (closed)
        {
            return;
        }
        final L7Config nextServed = discovery.current().serve(config);
        try
        {
            final ConfiguredRouter nextRouter = router.current().withPools(nextServed);
            checker = HealthChecker.start(nextRouter.pools().values(), proxy.eventLoops(), proxy.transport(), checker);
            router.replace(nextRouter);
            served = nextServed;
            System.out.println("sluice l7: dns: answers changed; serving " + servers(nextServed));
        }
        catch (final RuntimeException ex)
        {
            System.out.println("sluice l7: dns: answers changed but could not be served: " + ex.getMessage());
        }
        System.out.flush();
    }

    /** {@code web: api#198.18.0.31, api#198.18.0.32}: the pools that name servers by DNS, and their servers now. */
    private String servers(final L7Config resolved)
    {
        final List<String> pools = new ArrayList<>();
        for (final Pool pool : config.pools().values())
        {
            if (pool.servers().stream().anyMatch(server -> server.address().isUnresolved()))
            {
                pools.add(pool.name() + ": " + String.join(", ",
                    resolved.pools().get(pool.name()).servers().stream().map(Server::name).toList()));
            }
        }
        return String.join("; ", pools);
    }

    /**
     * The TLS files changed on disk (the watcher's thread): read again and served to new
     * handshakes, or, refused, the previous ones keep serving. Either way one line says so.
     */
    private synchronized void certificatesChanged()
    {
        try
        {
            proxy.security(security(config, TlsFiles::reread));
            System.out.println("sluice l7: TLS files changed; new handshakes use them");
        }
        catch (final RuntimeException ex) // a refused file: ConfigException; the TLS engine refusing: the same
        {
            System.out.println("sluice l7: TLS files changed but refused, still serving the previous ones: " + ex.getMessage());
        }
        System.out.flush();
    }

    /** The certificates served now, by listener in the configuration's order. */
    public List<ServedCertificate> servedCertificates()
    {
        final Map<InetSocketAddress, ListenerSecurity> security = proxy.security();
        final List<ServedCertificate> served = new ArrayList<>();
        for (final Listener listener : config.listeners())
        {
            final ListenerSecurity listenerSecurity = security.get(listener.address());
            if (listenerSecurity != null && listenerSecurity.tls() != null)
            {
                served.addAll(listenerSecurity.tls().served());
            }
        }
        return served;
    }

    /** The TLS engine's one startup line ({@link TlsProvider#describe}), or null when no listener has TLS. */
    public String tlsProvider()
    {
        return config.listeners().stream().anyMatch((listener) -> listener.tls() != null) ? TlsProvider.describe() : null;
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
        closed = true;
        discovery.close();
        if (admin != null)
        {
            admin.close();
            adminLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        checker.close();
        watcher.close();
        proxy.close();
        if (accessLog != null)
        {
            accessLog.close();
        }
    }

    /**
     * Each listener's TLS contexts (or https redirect), built from its settings as {@code files}
     * gives them (as loaded, or read again), and whether it takes WebSockets over HTTP/2.
     *
     * @throws io.sluice.l7.config.ConfigException one line, when a file or the TLS engine refuses.
     */
    private Map<InetSocketAddress, ListenerSecurity> security(final L7Config config, final UnaryOperator<ListenerTls> files)
    {
        final Map<InetSocketAddress, ListenerSecurity> byAddress = new HashMap<>();
        for (final Listener listener : config.listeners())
        {
            if (listener.tls() != null || listener.redirectHttpsPort() != 0 || !listener.webSocketsOverHttp2())
            {
                final ServerTls tls = listener.tls() == null ? null :
                    ServerTls.build(listener.name(), files.apply(listener.tls()), metrics.tls());
                byAddress.put(listener.address(),
                    new ListenerSecurity(tls, listener.redirectHttpsPort(), listener.webSocketsOverHttp2()));
            }
        }
        return byAddress;
    }

    private static List<Path> tlsFiles(final L7Config config)
    {
        final List<Path> files = new ArrayList<>();
        for (final Listener listener : config.listeners())
        {
            if (listener.tls() != null)
            {
                files.addAll(listener.tls().files());
            }
        }
        return files;
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
