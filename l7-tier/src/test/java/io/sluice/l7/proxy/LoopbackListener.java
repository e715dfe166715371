package io.sluice.l7.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The listening half every test server shares: a port the kernel picks on a loopback address,
 * one NIO event loop of its own (so a test server never shares the proxy's), and each accepted
 * connection's pipeline set up by the server that owns it.
 */
public final class LoopbackListener implements AutoCloseable
{
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel listener;

    /** On 127.0.0.1. */
    public LoopbackListener(final Consumer<SocketChannel> pipeline)
    {
        this("127.0.0.1", pipeline);
    }

    /** @param pipeline sets up each accepted connection. */
    public LoopbackListener(final String host, final Consumer<SocketChannel> pipeline)
    {
        listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel channel)
                {
                    pipeline.accept(channel);
                }
            })
            .bind(new InetSocketAddress(host, 0)).syncUninterruptibly().channel();
    }

    public InetSocketAddress address()
    {
        return (InetSocketAddress)listener.localAddress();
    }

    @Override
    public void close()
    {
        listener.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
