package io.sluice.l7.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;

import java.net.InetSocketAddress;
import java.util.function.IntSupplier;

/**
 * Opens a new connection to a backend server for {@link BackendConnections}, which asks only
 * when it has no idle one to lend. Apart from the pool so that tests can hand out in-memory
 * channels instead of sockets and drive the real request path (routing, balancing, header
 * rewriting) without a network; the proxy itself always uses {@link #sockets}.
 */
@FunctionalInterface
interface BackendConnector
{
    /**
     * @param loop     the event loop of the client connections the connection will serve.
     * @param handlers sets up the connection's pipeline once it is registered.
     * @return the connection being made; its channel is there at once, and a future already
     *         done means a connection ready at once (treated as a pooled one is).
     */
    ChannelFuture connect(EventLoop loop, InetSocketAddress server, ChannelHandler handlers);

    /** TCP connections of the transport's kind, with Nagle off and the connect timeout read at each connect. */
    static BackendConnector sockets(final Transport transport, final IntSupplier connectTimeoutMs)
    {
        return (loop, server, handlers) -> new Bootstrap()
            .group(loop)
            .channel(transport.clientChannel())
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMs.getAsInt())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.AUTO_READ, true)
            .handler(handlers)
            .connect(server);
    }
}
