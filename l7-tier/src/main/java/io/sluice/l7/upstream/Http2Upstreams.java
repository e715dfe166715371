package io.sluice.l7.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.sluice.l7.metrics.L7Metrics;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One event loop's HTTP/2 connections to backend servers, touched by that event loop alone (so
 * without locks), as its HTTP/1.1 keep-alive pool is. An exchange gets a stream on the first
 * connection to its server that has room, else on a new connection; streams wait for a
 * connection still being made rather than each making its own, so a burst of requests shares one
 * connection. A connection with no stream is idle, and closed after the idle timeout.
 */
public final class Http2Upstreams
{
    /** Opens a TCP connection to a server with these handlers (the proxy's transport and connect timeout). */
    @FunctionalInterface
    public interface Connector
    {
        ChannelFuture connect(InetSocketAddress server, ChannelHandler handlers);
    }

    private final Connector connector;
    private final L7Metrics metrics;
    /** Counts the RST_STREAM and GOAWAY frames of every connection (it keeps no state of its own). */
    private final BackendFrameCounter frames;
    /** A stream's pipeline: frames to HTTP messages and back, then the exchange's handler. */
    private final ChannelInitializer<Channel> streams;
    private final Map<InetSocketAddress, List<Http2Upstream>> connections = new HashMap<>();

    /** @param exchangeHandlers the last handler of each stream's pipeline, which lends the stream to an exchange. */
    public Http2Upstreams(final Connector connector, final Supplier<ChannelHandler> exchangeHandlers, final L7Metrics metrics)
    {
        this.connector = connector;
        this.metrics = metrics;
        this.frames = new BackendFrameCounter(metrics.backendStreams());
        this.streams = new ChannelInitializer<>()
        {
            @Override
            protected void initChannel(final Channel stream)
            {
                stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false), new StreamMessages(),
                    exchangeHandlers.get());
            }
        };
    }

    /**
     * A stream to {@code server}: its future completes once the stream channel is there (at once
     * on a ready connection with room), or fails with the connection's failure to be made.
     *
     * @param maxStreams the pool's cap on streams per connection.
     * @param tls        for h2, the pool's TLS (connections made with other TLS settings are not shared); null for h2c.
     */
    public ChannelFuture openStream(final InetSocketAddress server, final int maxStreams, final BackendTls tls)
    {
        List<Http2Upstream> toServer = connections.get(server);
        if (toServer == null)
        {
            toServer = new ArrayList<>();
            connections.put(server, toServer);
        }
        for (int i = 0; i < toServer.size(); i++)
        {
            final Http2Upstream connection = toServer.get(i);
            if (connection.tls() == tls && connection.hasRoom(maxStreams))
            {
                return connection.openStream();
            }
        }
        return connect(server, tls, toServer).openStream();
    }

    private Http2Upstream connect(final InetSocketAddress server, final BackendTls tls, final List<Http2Upstream> toServer)
    {
        final Http2Upstream connection = new Http2Upstream(streams, tls, metrics);
        final ChannelFuture connecting = connector.connect(server, new ChannelInitializer<>()
        {
            @Override
            protected void initChannel(final Channel channel)
            {
                connection.addTo(channel, server, frames);
            }
        });
        connection.attach(connecting.channel());
        toServer.add(connection);
        connecting.addListener((connected) ->
        {
            if (!connected.isSuccess())
            {
                connection.failed(connected.cause());
            }
        });
        connecting.channel().closeFuture().addListener((closed) -> toServer.remove(connection));
        return connection;
    }

    /** Connections that carry no stream now. */
    public int idleCount()
    {
        int count = 0;
        for (final List<Http2Upstream> toServer : connections.values())
        {
            for (final Http2Upstream connection : toServer)
            {
                count += connection.idle() ? 1 : 0;
            }
        }
        return count;
    }

    /** Closes the connections that carried no stream for {@code limitNanos} or longer. */
    public void closeIdleLongerThan(final long nowNanos, final long limitNanos)
    {
        for (final Http2Upstream connection : all())
        {
            if (connection.idle() && nowNanos - connection.idleSinceNanos() >= limitNanos)
            {
                connection.close();
            }
        }
    }

    /** Closes every connection that carries no stream (on reload or drain). */
    public void closeIdle()
    {
        for (final Http2Upstream connection : all())
        {
            if (connection.idle())
            {
                connection.close();
            }
        }
    }

    /** A copy: a connection closed while they are walked leaves its server's list. */
    private List<Http2Upstream> all()
    {
        final List<Http2Upstream> all = new ArrayList<>();
        connections.values().forEach(all::addAll);
        return all;
    }
}
