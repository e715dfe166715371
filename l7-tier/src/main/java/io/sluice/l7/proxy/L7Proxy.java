package io.sluice.l7.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannelRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.AttributeKey;
import io.sluice.l7.config.Listener;
import io.sluice.l7.config.RedisSettings;
import io.sluice.l7.config.RequestLimits;
import io.sluice.l7.config.Timeouts;
import io.sluice.l7.metrics.ConnectionSide;
import io.sluice.l7.proxyprotocol.ProxyProtocolReceiver;
import io.sluice.l7.ratelimit.SharedLimiter;
import io.sluice.l7.redis.CurrentRedisLimiter;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The proxy's sockets and threads: one event loop group serves the listeners' accepted
 * connections and their backend connections alike, so every exchange stays on one thread.
 * Pooled direct buffers (Netty's default allocator); write watermarks of 32-64 KiB per
 * connection bound what a slow peer can make the proxy hold.
 */
public final class L7Proxy implements AutoCloseable
{
    /**
     * Idle keep-alive connections kept per backend server and event loop. High, as HAProxy's
     * (unbounded) and Envoy's (1024 connections) are: with fewer, a burst that needs more
     * connections than are kept closes the extra ones as it ends and opens them again at the
     * next, a connect and a close for every few requests (64 did that to sluice under 200 client
     * connections). Those a burst leaves idle close after the idle timeout instead.
     */
    static final int MAX_IDLE_PER_SERVER = 1024;
    /** Connections a listener accepts in one go, as HAProxy's tune.maxaccept (64). */
    static final int MAX_ACCEPTS_PER_WAKEUP = 64;
    private static final AttributeKey<InetSocketAddress> REQUESTED = AttributeKey.valueOf("sluice.requested");
    private static final WriteBufferWaterMark WATERMARKS = new WriteBufferWaterMark(32 * 1024, 64 * 1024);

    private final Transport transport;
    private final EventLoopGroup group;
    private final ServerBootstrap bootstrap;
    /** For connections and exchanges begun from now on (a reload may change them). */
    private volatile Timeouts timeouts;
    /** For connections made from now on (a reload may change them). */
    private volatile RequestLimits limits;
    /** Each listener's {@code proxy_protocol} by its configured address, for connections accepted from now on. */
    private volatile Map<InetSocketAddress, Listener.ProxyProtocol> proxyProtocols;
    /** By listener (its requested address), for connections accepted from now on; a listener not in it is cleartext. */
    private volatile Map<InetSocketAddress, ListenerSecurity> security = Map.of();
    /** Each listener's {@code max_connections_per_client} by its configured address, for connections accepted from now on. */
    private volatile Map<InetSocketAddress, ConnectionsPerClient> connectionsPerClient = Map.of();
    private final List<Channel> listeners = new CopyOnWriteArrayList<>();
    private final Map<EventLoop, BackendConnections> backends = new ConcurrentHashMap<>();
    private final Map<EventLoop, ClockSweeper> sweepers = new ConcurrentHashMap<>();
    private final Draining draining = new Draining();
    private final ExchangeObservers observers;
    /** Every open client connection: drained, and counted for the admin endpoint. */
    private final ChannelGroup clients;
    /** Global rate limits' store, connected from the event loops (a connection each); closed with the proxy. */
    private final CurrentRedisLimiter redis;

    /** With the default request limits. */
    public L7Proxy(final Transport transport, final int threads, final List<InetSocketAddress> addresses,
        final RequestRouter router, final Timeouts timeouts, final ExchangeObservers observers)
    {
        this(transport, threads, addresses, router, timeouts, RequestLimits.DEFAULTS, observers);
    }

    /** Listeners that take no PROXY protocol header. */
    public L7Proxy(final Transport transport, final int threads, final List<InetSocketAddress> addresses,
        final RequestRouter router, final Timeouts timeouts, final RequestLimits limits, final ExchangeObservers observers)
    {
        this(transport, threads, addresses, router, timeouts, limits, observers, Map.of());
    }

    /**
     * Binds every address; a failure to bind one closes what was bound and throws.
     *
     * @param threads        event loop threads (the cores the proxy may use).
     * @param limits         how much of a request is read before it is refused.
     * @param proxyProtocols the listeners that take PROXY protocol headers, by address: known
     *                       before the first is bound, so no connection is accepted without its policy.
     */
    public L7Proxy(final Transport transport, final int threads, final List<InetSocketAddress> addresses,
        final RequestRouter router, final Timeouts timeouts, final RequestLimits limits, final ExchangeObservers observers,
        final Map<InetSocketAddress, Listener.ProxyProtocol> proxyProtocols)
    {
        this.proxyProtocols = Map.copyOf(proxyProtocols);
        this.observers = observers;
        this.limits = limits;
        this.transport = transport;
        this.timeouts = timeouts;
        this.group = new MultiThreadIoEventLoopGroup(threads, transport.ioHandlers());
        this.clients = new DefaultChannelGroup("sluice-l7-clients", group.next());
        this.redis = new CurrentRedisLimiter(group, transport.clientChannel(), observers.metrics().redis());
        try
        {
            bootstrap = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.RECVBUF_ALLOCATOR, acceptsPerWakeup())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATERMARKS)
                .childHandler(new ChannelInitializer<SocketChannel>()
                {
                    @Override
                    protected void initChannel(final SocketChannel channel)
                    {
                        final BackendConnections loopBackends = backends.computeIfAbsent(channel.eventLoop(),
                            (loop) -> new BackendConnections(loop, transport, () -> L7Proxy.this.timeouts,
                                MAX_IDLE_PER_SERVER, observers.metrics()));
                        clients.add(channel);
                        observers.metrics().connectionOpened(ConnectionSide.CLIENT);
                        channel.closeFuture().addListener((closed) -> observers.metrics().connectionClosed(ConnectionSide.CLIENT));
                        final Listener.ProxyProtocol proxyProtocol = L7Proxy.this.proxyProtocols.get(requested(channel.parent()));
                        final ConnectionsPerClient perClient = connectionsPerClient.get(requested(channel.parent()));
                        if (perClient != null && proxyProtocol == null && !perClient.admit(channel))
                        {
                            return; // closed: its client has as many connections open as the listener allows
                        }
                        ClientPipeline.init(channel, sweepers.computeIfAbsent(channel.eventLoop(), ClockSweeper::new), router,
                            loopBackends, draining, L7Proxy.this.timeouts, L7Proxy.this.limits, observers,
                            security.getOrDefault(requested(channel.parent()), ListenerSecurity.CLEARTEXT));
                        if (proxyProtocol != null)
                        {
                            // First, whatever the pipeline holds: the header comes before any other byte (TLS's too).
                            channel.pipeline().addFirst("proxy-protocol", new ProxyProtocolReceiver(proxyProtocol,
                                L7Proxy.this.timeouts.requestHeader(), observers.metrics()));
                            if (perClient != null)
                            {
                                channel.pipeline().addAfter("proxy-protocol", "connections-per-client",
                                    perClient.afterProxyHeader());
                            }
                        }
                    }
                });
            listen(addresses);
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    /**
     * How a listener accepts: up to {@link #MAX_ACCEPTS_PER_WAKEUP} connections each time it is
     * ready, until the kernel has none left. Netty's default takes one: its epoll transport
     * guesses from the accept's result that no other connection waits, so a burst of new
     * connections was taken one per event-loop turn, behind everything else the turn had to do
     * (200 connections opened in 200 ms queued 70 deep in the kernel and waited up to 300 ms).
     */
    private static ServerChannelRecvByteBufAllocator acceptsPerWakeup()
    {
        final ServerChannelRecvByteBufAllocator accepts = new ServerChannelRecvByteBufAllocator();
        accepts.maxMessagesPerRead(MAX_ACCEPTS_PER_WAKEUP);
        accepts.respectMaybeMoreData(false);
        return accepts;
    }

    /** The addresses actually bound (a port 0 in the configuration becomes the one the kernel chose). */
    public List<InetSocketAddress> boundAddresses()
    {
        final List<InetSocketAddress> bound = new ArrayList<>();
        for (final Channel listener : listeners)
        {
            bound.add((InetSocketAddress)listener.localAddress());
        }
        return bound;
    }


    /** The listening channels, for tests. */
    List<Channel> listenerChannels()
    {
        return List.copyOf(listeners);
    }

    public String transportName()
    {
        return transport.name();
    }

    /** Idle pooled backend connections over all event loops (read on their threads' behalf: an estimate). */
    public int idleBackendConnections()
    {
        int count = 0;
        for (final Map.Entry<EventLoop, BackendConnections> entry : backends.entrySet())
        {
            count += entry.getKey().submit(entry.getValue()::idleCount).syncUninterruptibly().getNow();
        }
        return count;
    }

    /**
     * Listens on exactly these addresses from now on: new ones are bound first (if one cannot
     * be, those bound here are closed again and the exception thrown, leaving the listeners as
     * they were), then the ones no longer wanted close. Open connections are not touched.
     */
    public synchronized void listen(final List<InetSocketAddress> addresses)
    {
        final List<Channel> added = new ArrayList<>();
        try
        {
            for (final InetSocketAddress address : addresses)
            {
                if (listenerOn(address) == null)
                {
                    // Named before it is bound: its first connection, accepted at once, looks its listener up by it.
                    final Channel listener = bootstrap.clone().attr(REQUESTED, address).bind(address).syncUninterruptibly()
                        .channel();
                    added.add(listener);
                }
            }
        }
        catch (final RuntimeException ex)
        {
            added.forEach((channel) -> channel.close().syncUninterruptibly());
            throw ex;
        }
        for (final Channel listener : List.copyOf(listeners))
        {
            if (!addresses.contains(requested(listener)))
            {
                listener.close().syncUninterruptibly();
                listeners.remove(listener);
            }
        }
        listeners.addAll(added);
    }

    /**
     * TLS (or a redirect to https) by listener address, for connections accepted from now on: a
     * connection already open keeps what it was accepted with. Set it for a new address before
     * {@link #listen} binds it.
     */
    public void security(final Map<InetSocketAddress, ListenerSecurity> byAddress)
    {
        this.security = Map.copyOf(byAddress);
    }

    /** What {@link #security(Map)} set last. */
    public Map<InetSocketAddress, ListenerSecurity> security()
    {
        return security;
    }

    /** Request limits for connections made from now on. */
    public void limits(final RequestLimits limits)
    {
        this.limits = limits;
    }

    /**
     * Each listener's {@code proxy_protocol} for connections accepted from now on (set before
     * {@link #listen} binds a new listener, so that one's first connection has its policy too).
     *
     * @return the policies until now, to put back if the listeners cannot be changed.
     */
    public Map<InetSocketAddress, Listener.ProxyProtocol> proxyProtocols(
        final Map<InetSocketAddress, Listener.ProxyProtocol> next)
    {
        final Map<InetSocketAddress, Listener.ProxyProtocol> before = proxyProtocols;
        proxyProtocols = Map.copyOf(next);
        return before;
    }

    /**
     * Each listener's {@code max_connections_per_client} for connections accepted from now on
     * (set before {@link #listen} binds a new listener, as {@link #proxyProtocols(Map)}).
     *
     * @return the caps until now, to put back if the listeners cannot be changed.
     */
    public Map<InetSocketAddress, ConnectionsPerClient> connectionsPerClient(
        final Map<InetSocketAddress, ConnectionsPerClient> next)
    {
        final Map<InetSocketAddress, ConnectionsPerClient> before = connectionsPerClient;
        connectionsPerClient = Map.copyOf(next);
        return before;
    }

    /** What {@link #connectionsPerClient(Map)} set last. */
    public Map<InetSocketAddress, ConnectionsPerClient> connectionsPerClient()
    {
        return connectionsPerClient;
    }

    /** Timeouts for connections made from now on. */
    public void timeouts(final Timeouts timeouts)
    {
        this.timeouts = timeouts;
    }

    /**
     * The Redis that global rate limits are counted in from now on, or null for none: a change
     * connects to the new one (and closes the old once its decisions in flight end), the same
     * settings keep the connections.
     */
    public void redis(final RedisSettings settings)
    {
        redis.use(settings);
    }

    /** The store of global rate limits, the same across reloads; without {@code redis:} its decisions fail at once. */
    public SharedLimiter sharedLimiter()
    {
        return redis;
    }

    private Channel listenerOn(final InetSocketAddress address)
    {
        for (final Channel listener : listeners)
        {
            if (address.equals(requested(listener)))
            {
                return listener;
            }
        }
        return null;
    }

    /** The address a listener was asked for (its bound address, unless it asked for port 0). */
    private static InetSocketAddress requested(final Channel listener)
    {
        final InetSocketAddress requested = listener.attr(REQUESTED).get();
        return requested != null ? requested : (InetSocketAddress)listener.localAddress();
    }

    /** The event loops: health checks run on them too, so they need no threads of their own. */
    public EventLoopGroup eventLoops()
    {
        return group;
    }

    public Transport transport()
    {
        return transport;
    }

    public boolean draining()
    {
        return draining.isDraining();
    }

    /** Open client connections now. */
    public int clientConnections()
    {
        return clients.size();
    }

    /**
     * Graceful drain: stops accepting, closes idle client connections at once and the others as
     * their exchanges in flight end (an HTTP/2 connection is sent a GOAWAY first: see
     * {@link ConnectionDrain}), waiting up to {@code timeout} for them; what is still open then
     * is closed.
     *
     * @return whether every connection ended on its own within the timeout.
     */
    public boolean drain(final Duration timeout)
    {
        draining.start();
        for (final Channel listener : listeners)
        {
            listener.close().syncUninterruptibly();
        }
        for (final Channel client : clients)
        {
            client.eventLoop().execute(() -> ConnectionDrain.begin(client));
        }
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!clients.isEmpty() && System.nanoTime() < deadline)
        {
            try
            {
                Thread.sleep(10);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                break;
            }
        }
        final boolean clean = clients.isEmpty();
        final List<ChannelFuture> closing = new ArrayList<>();
        for (final Channel client : clients)
        {
            closing.add(ConnectionDrain.closeNow(client));
        }
        closing.forEach(ChannelFuture::awaitUninterruptibly);
        return clean;
    }

    @Override
    public void close()
    {
        for (final Channel listener : listeners)
        {
            listener.close().syncUninterruptibly();
        }
        redis.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
