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
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * How the proxy's sockets are driven; the pipeline is the same on each.
 * <ul>
 *   <li>{@code io_uring} (where the kernel has it and no seccomp policy or
 *       kernel.io_uring_disabled forbids it; Netty checks by opening a ring): reads and writes go through a submission ring and leave the event loop in one
 *       io_uring_enter per turn instead of a system call each. It is the cheapest: about a tenth
 *       less CPU per proxied request than epoll on the bench (bench/results).</li>
 *   <li>{@code epoll}: Netty's native epoll, where io_uring is not allowed (containers often
 *       block it, kernel.io_uring_disabled may).</li>
 *   <li>{@code nio}: the JDK's selector, anywhere.</li>
 * </ul>
 */
public record Transport(String name, IoHandlerFactory ioHandlers, Class<? extends ServerChannel> serverChannel,
    Class<? extends SocketChannel> clientChannel)
{
    /** The names {@link #named} takes: "auto" is {@link #best}. */
    public static final List<String> NAMES = List.of("auto", "io_uring", "epoll", "nio");

    /** The cheapest transport this process can use: io_uring, else epoll, else NIO. */
    public static Transport best()
    {
        return usable().getFirst();
    }

    /**
     * The transport of that name ({@link #NAMES}).
     *
     * @throws IllegalArgumentException naming the transport and why it cannot be used here.
     */
    public static Transport named(final String name)
    {
        return switch (name)
        {
            case "auto" -> best();
            case "io_uring" -> available(IoUring.isAvailable(), IoUring.unavailabilityCause(), name, Transport::ioUring);
            case "epoll" -> available(Epoll.isAvailable(), Epoll.unavailabilityCause(), name, Transport::epoll);
            case "nio" -> nio();
            default -> throw new IllegalArgumentException("unknown transport '" + name + "' (one of " + String.join(", ", NAMES) + ")");
        };
    }

    /** Each native transport this process can load, cheapest first, and NIO last: what tests run the proxy on. */
    public static List<Transport> usable()
    {
        final List<Transport> usable = new ArrayList<>();
        if (IoUring.isAvailable())
        {
            usable.add(ioUring());
        }
        if (Epoll.isAvailable())
        {
            usable.add(epoll());
        }
        usable.add(nio());
        return usable;
    }

    public static Transport nio()
    {
        return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class);
    }

    private static Transport ioUring()
    {
        return new Transport("io_uring", IoUringIoHandler.newFactory(), IoUringServerSocketChannel.class, IoUringSocketChannel.class);
    }

    private static Transport epoll()
    {
        return new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class, EpollSocketChannel.class);
    }

    private static Transport available(final boolean available, final Throwable cause, final String name,
        final Supplier<Transport> transport)
    {
        if (!available)
        {
            throw new IllegalArgumentException("transport " + name + " is not available here: " +
                (cause != null ? cause.getMessage() : "unknown reason"));
        }
        return transport.get();
    }

    @Override
    public String toString()
    {
        return name;
    }
}
