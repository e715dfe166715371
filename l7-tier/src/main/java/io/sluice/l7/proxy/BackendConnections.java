package io.sluice.l7.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.util.AttributeKey;

import io.sluice.l7.config.Pool;
import io.sluice.l7.config.Timeouts;
import io.sluice.l7.metrics.ConnectionSide;
import io.sluice.l7.metrics.L7Metrics;
import io.sluice.l7.proxyprotocol.ConnectionAddresses;
import io.sluice.l7.proxyprotocol.ProxyHeaderSender;
import io.sluice.l7.upstream.Http2Upstreams;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One event loop's keep-alive connections to backend servers. Each client connection's
 * requests use connections of its own event loop only, so a request and its backend exchange
 * never cross threads and this class needs no locks: it is touched by its event loop alone.
 *
 * <p>A connection is lent for one exchange ({@link #acquire}) and given back when the response
 * ended cleanly and both sides allow keep-alive ({@link #release}); an idle one the server
 * closes drops out of the pool by itself, and one idle for longer than the idle timeout is
 * closed by the proxy (checked every second). The most recently used connection is lent first
 * (its server is the least likely to have timed it out), so the longest idle are at the front.
 *
 * <p>A pool spoken to in HTTP/2 lends a stream instead, on a connection shared by many exchanges
 * ({@link Http2Upstreams}); the stream's pipeline ends in a {@link BackendHandler} too, so an
 * exchange uses either the same way.
 */
final class BackendConnections
{
    /** Marks a pooled channel as having served an exchange already: a stale keep-alive connection may fail at once. */
    static final AttributeKey<Boolean> REUSED = AttributeKey.valueOf("sluice.reused");
    /** The HTTP client codec's name in a backend connection's pipeline (a WebSocket upgrade removes it). */
    static final String HTTP_CODEC = "http";
    /** How often idle connections are checked against the idle timeout. */
    static final long IDLE_CHECK_MS = 1_000;

    private final EventLoop loop;
    private final BackendConnector connector;
    private final int maxIdlePerServer;
    /** The timeouts in force (a reload may change them): connect, and idle for a pooled connection. */
    private final Supplier<Timeouts> timeouts;
    /** By server address, or by {@link OneClient} for connections that speak for one client. */
    private final Map<Object, ArrayDeque<Channel>> idle = new HashMap<>();
    private final L7Metrics metrics;
    private final Http2Upstreams http2;

    BackendConnections(final EventLoop loop, final Transport transport, final Supplier<Timeouts> timeouts, final int maxIdlePerServer,
        final L7Metrics metrics)
    {
        this(loop, BackendConnector.sockets(transport, () -> (int)timeouts.get().connect().toMillis()), timeouts, maxIdlePerServer,
            metrics);
    }

    /** @param connector opens the new connections: sockets, or in-memory channels in tests. */
    BackendConnections(final EventLoop loop, final BackendConnector connector, final Supplier<Timeouts> timeouts,
        final int maxIdlePerServer, final L7Metrics metrics)
    {
        this.metrics = metrics;
        this.loop = loop;
        this.connector = connector;
        this.timeouts = timeouts;
        this.maxIdlePerServer = maxIdlePerServer;
        this.http2 = new Http2Upstreams((server, handlers) -> connector.connect(loop, server, handlers), BackendHandler::new,
            metrics);
        loop.scheduleAtFixedRate(this::closeLongIdle, IDLE_CHECK_MS, IDLE_CHECK_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * An idle connection to the server if one is open (its future already done), else a new one;
     * for HTTP/2, a new stream. The channel's pipeline gives and takes HTTP/1-shaped messages and
     * ends in a {@link BackendHandler}, to lend the connection to an exchange.
     *
     * <p>With the pool's {@code send_proxy}, an HTTP/1.1 connection begins with a PROXY protocol
     * header naming {@code client}. Such a connection speaks for one client connection, so it is
     * lent to that one alone (as HAProxy keeps a server connection with send-proxy private to its
     * client): lent to another, the backend would take that client's requests for the first
     * one's. It is kept idle under the client connection (an HTTP/2 stream's, its parent) and
     * closes with it. (The configuration refuses send_proxy on an HTTP/2 pool, whose connections
     * carry many clients' streams.)
     */
    ChannelFuture acquire(final RoutedRequest routed, final Channel client)
    {
        final InetSocketAddress server = routed.backend();
        final Pool.Protocol protocol = routed.protocol();
        if (protocol.http2())
        {
            return http2.openStream(server, protocol.maxStreams(), routed.backendTls());
        }
        final Pool.SendProxy sendProxy = routed.sendProxy();
        return sendProxy == null ? acquire(server, server)
            : acquire(new OneClient(server, sendProxy, ConnectionAddresses.connection(client)), server);
    }

    /** A connection made for one client connection closes with it, and its idle ones are forgotten then. */
    private void closeWithClient(final OneClient key, final Channel backend)
    {
        final ChannelFutureListener clientClosed = (closed) ->
        {
            idle.remove(key);
            backend.close();
        };
        key.client().closeFuture().addListener(clientClosed);
        backend.closeFuture().addListener((closed) -> key.client().closeFuture().removeListener(clientClosed));
    }

    /** Idle connections are kept by what they may be lent for: a server (the key is its address), or a server for one client. */
    private record OneClient(InetSocketAddress server, Pool.SendProxy sendProxy, Channel client)
    {
    }

    private ChannelFuture acquire(final Object key, final InetSocketAddress server)
    {
        final ArrayDeque<Channel> channels = idle.get(key);
        if (channels != null)
        {
            Channel channel;
            while ((channel = channels.pollLast()) != null)
            {
                if (channel.isActive())
                {
                    channel.attr(REUSED).set(Boolean.TRUE);
                    return channel.newSucceededFuture();
                }
            }
        }
        final ChannelFuture connecting = connector.connect(loop, server, new ChannelInitializer<>()
        {
            @Override
            protected void initChannel(final Channel channel)
            {
                if (key instanceof OneClient oneClient)
                {
                    channel.pipeline().addLast(ProxyHeaderSender.forClient(oneClient.sendProxy(), oneClient.client()));
                }
                channel.pipeline().addLast(HTTP_CODEC, new HttpClientCodec()).addLast(new BackendHandler());
            }
        });
        // A server closing an idle connection takes it out of the pool (on this event loop, so no race).
        connecting.addListener((connected) ->
        {
            if (connected.isSuccess())
            {
                metrics.connectionOpened(ConnectionSide.BACKEND);
                connecting.channel().closeFuture().addListener((closed) -> metrics.connectionClosed(ConnectionSide.BACKEND));
            }
        });
        connecting.channel().closeFuture().addListener((future) -> removeIdle(key, connecting.channel()));
        if (key instanceof OneClient oneClient)
        {
            closeWithClient(oneClient, connecting.channel());
        }
        return connecting;
    }

    private void removeIdle(final Object key, final Channel channel)
    {
        final ArrayDeque<Channel> channels = idle.get(key);
        if (channels != null)
        {
            channels.remove(channel);
        }
    }

    /** Takes back a connection whose exchange ended cleanly; closes it when the pool for its server is full. */
    void release(final InetSocketAddress server, final Channel channel)
    {
        release((Object)server, channel);
    }

    /** Takes back a connection {@link #acquire(RoutedRequest, Channel) acquired} for {@code client}'s exchange. */
    void release(final InetSocketAddress server, final Pool.SendProxy sendProxy, final Channel client, final Channel channel)
    {
        release(sendProxy == null ? server : new OneClient(server, sendProxy, ConnectionAddresses.connection(client)), channel);
    }

    private void release(final Object key, final Channel channel)
    {
        if (!channel.isActive())
        {
            return;
        }
        if (channel.parent() != null)
        {
            channel.close(); // an HTTP/2 stream ends with its exchange; its connection stays with the others
            return;
        }
        final ArrayDeque<Channel> channels = idle.computeIfAbsent(key, (absent) -> new ArrayDeque<>());
        if (channels.size() >= maxIdlePerServer)
        {
            channel.close();
            return;
        }
        channels.addLast(channel);
    }

    /**
     * Closes the connections idle for longer than the idle timeout, so that a burst's extra
     * connections do not stay open for ever. Each server's longest idle are at the front of its
     * queue (connections are lent from the back), so only those that expire are looked at.
     */
    void closeLongIdle()
    {
        final long now = System.nanoTime();
        final long limit = timeouts.get().idle().toNanos();
        http2.closeIdleLongerThan(now, limit);
        for (final ArrayDeque<Channel> channels : idle.values())
        {
            Channel oldest;
            while ((oldest = channels.peekFirst()) != null && now - idleSinceNanos(oldest) >= limit)
            {
                channels.pollFirst();
                oldest.close();
            }
        }
    }

    /** When the connection was given back; a connection without its handler (closing) counts as idle for ever. */
    private static long idleSinceNanos(final Channel channel)
    {
        final BackendHandler handler = channel.pipeline().get(BackendHandler.class);
        return handler != null ? handler.idleSinceNanos() : Long.MIN_VALUE / 2;
    }

    /** Idle connections held now, for tests and the admin endpoint. */
    int idleCount()
    {
        int count = http2.idleCount();
        for (final ArrayDeque<Channel> channels : idle.values())
        {
            count += channels.size();
        }
        return count;
    }

    /** Closes every idle connection (on reload or drain). */
    void closeIdle()
    {
        http2.closeIdle();
        for (final ArrayDeque<Channel> channels : idle.values())
        {
            for (final Channel channel : channels.toArray(new Channel[0]))
            {
                channel.close();
            }
        }
    }
}
