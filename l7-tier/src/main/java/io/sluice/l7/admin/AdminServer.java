package io.sluice.l7.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The admin endpoint: HTTP/1.1 on a loopback address, keep-alive, on an event loop group the
 * caller owns (one thread is plenty). Its answers are made on one thread of its own
 * ({@link AdminActions}), so callbacks may block and never overlap.
 *
 * <ul>
 *   <li>{@code GET /status}: JSON, see {@link StatusJson}.</li>
 *   <li>{@code GET /metrics}: Prometheus text, {@code text/plain; version=0.0.4}.</li>
 *   <li>{@code POST /reload}: 200 {@code reloaded}, or 400 with the refusal's one-line message.</li>
 *   <li>{@code POST /drain}: 202 {@code draining}.</li>
 *   <li>Any other path 404; a known path with another method 405 with {@code Allow}.</li>
 * </ul>
 *
 * There is no authentication: being reachable only from the host is the protection, so a
 * non-loopback address is refused.
 */
public final class AdminServer implements AutoCloseable
{
    /** Request bodies are not used; this much is read and ignored, more is refused (413). */
    private static final int MAX_REQUEST_BYTES = 64 * 1024;

    private final ExecutorService executor;
    private final ChannelGroup connections = new DefaultChannelGroup("sluice-admin", GlobalEventExecutor.INSTANCE);
    private final Channel listener;

    /**
     * Binds at once.
     *
     * @param channelType the server channel class matching {@code group}'s transport
     *                    ({@code Transport.serverChannel()}).
     * @throws IllegalArgumentException when the address is not a loopback address.
     * @throws IllegalStateException    when it cannot be bound (both with a one-line message).
     */
    public AdminServer(final InetSocketAddress address, final EventLoopGroup group, final Class<? extends ServerChannel> channelType,
        final AdminActions actions)
    {
        if (address.getAddress() == null || !address.getAddress().isLoopbackAddress())
        {
            throw new IllegalArgumentException("admin address " + address.getHostString() + ":" + address.getPort()
                + " is not a loopback address (127.0.0.0/8 or [::1]); the admin endpoint can reload and drain, so only this host may reach it");
        }
        executor = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("sluice-admin").daemon(true).factory());
        final ServerBootstrap bootstrap = new ServerBootstrap()
            .group(group)
            .channel(channelType)
            .childHandler(new ChannelInitializer<>()
            {
                @Override
                protected void initChannel(final Channel channel)
                {
                    connections.add(channel);
                    channel.pipeline()
                        .addLast("http", new HttpServerCodec())
                        .addLast("keep-alive", new HttpServerKeepAliveHandler())
                        .addLast("aggregate", new HttpObjectAggregator(MAX_REQUEST_BYTES))
                        .addLast("admin", new AdminHandler(actions, executor));
                }
            });
        final ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
        if (!bound.isSuccess())
        {
            executor.shutdownNow();
            throw new IllegalStateException("cannot bind the admin endpoint to " + StatusJson.address(address) + ": "
                + AdminHandler.oneLine(bound.cause()));
        }
        listener = bound.channel();
    }

    /** Where it listens (a port 0 asked for becomes the one the kernel chose). */
    public InetSocketAddress address()
    {
        return (InetSocketAddress)listener.localAddress();
    }

    /** Stops listening, closes the open connections, and waits briefly for an answer being made. */
    @Override
    public void close()
    {
        listener.close().syncUninterruptibly();
        connections.close().awaitUninterruptibly();
        executor.shutdown();
        try
        {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS))
            {
                executor.shutdownNow();
            }
        }
        catch (final InterruptedException ex)
        {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
