package io.sluice.l7.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The proxy's sockets and threads: one event loop group serves the listeners' accepted
 * connections and their backend connections alike, so every exchange stays on one thread.
 * Pooled direct buffers (Netty's default allocator); write watermarks of 32-64 KiB per
 * connection bound what a slow peer can make the proxy hold.
 */
public final class L7Proxy implements AutoCloseable
{
    /** Idle keep-alive connections kept per backend server and event loop. */
    static final int MAX_IDLE_PER_SERVER = 64;
    private static final WriteBufferWaterMark WATERMARKS = new WriteBufferWaterMark(32 * 1024, 64 * 1024);

    private final Transport transport;
    private final EventLoopGroup group;
    private final List<Channel> listeners = new ArrayList<>();
    private final Map<EventLoop, BackendConnections> backends = new ConcurrentHashMap<>();

    /**
     * Binds every address; a failure to bind one closes what was bound and throws.
     *
     * @param threads event loop threads (the cores the proxy may use).
     */
    public L7Proxy(final Transport transport, final int threads, final List<InetSocketAddress> addresses,
        final RequestRouter router, final Duration connectTimeout, final Duration idleTimeout)
    {
        this.transport = transport;
        this.group = new MultiThreadIoEventLoopGroup(threads, transport.ioHandlers());
        try
        {
            final ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATERMARKS)
                .childHandler(new ChannelInitializer<SocketChannel>()
                {
                    @Override
                    protected void initChannel(final SocketChannel channel)
                    {
                        final BackendConnections loopBackends = backends.computeIfAbsent(channel.eventLoop(),
                            (loop) -> new BackendConnections(loop, transport, (int)connectTimeout.toMillis(), MAX_IDLE_PER_SERVER));
                        channel.pipeline()
                            .addLast("idle", new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS))
                            .addLast("http", new HttpServerCodec())
                            .addLast("proxy", new FrontendHandler(router, loopBackends, "http"));
                    }
                });
            for (final InetSocketAddress address : addresses)
            {
                listeners.add(bootstrap.bind(address).syncUninterruptibly().channel());
            }
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
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

    @Override
    public void close()
    {
        for (final Channel listener : listeners)
        {
            listener.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
