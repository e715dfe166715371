package io.sluice.l7.proxy;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * Netty's native epoll transport where it loads (Linux, x86-64), NIO otherwise: the same
 * pipeline either way, epoll saving a copy and a selector wake-up per event.
 */
public record Transport(String name, IoHandlerFactory ioHandlers, Class<? extends ServerChannel> serverChannel,
    Class<? extends SocketChannel> clientChannel)
{
    /** The best transport this process can load. */
    public static Transport best()
    {
        if (Epoll.isAvailable())
        {
            return new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class, EpollSocketChannel.class);
        }
        return nio();
    }

    public static Transport nio()
    {
        return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class);
    }
}
