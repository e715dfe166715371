package io.sluice.l7.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.sluice.l7.config.Listener;
import io.sluice.l7.metrics.ConcurrencyMetrics;
import io.sluice.l7.proxyprotocol.ConnectionAddresses;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A listener's {@code max_connections_per_client}: the open connections of each client address,
 * and the cap on them. A connection over it is closed as soon as its client is known (at accept;
 * on a listener with {@code proxy_protocol}, once the header named the client) and counted. An
 * address has an entry only while it has connections open, so memory follows the open
 * connections, never the addresses ever seen. Shared by every event loop (a concurrent map); a
 * reload that keeps the listener's cap keeps its counts, so the connections open before it count
 * against the new limit, and a lower limit closes none of them.
 */
public final class ConnectionsPerClient
{
    private final String listener;
    private final int max;
    private final ConcurrentHashMap<InetAddress, Integer> open;
    private final ConcurrencyMetrics metrics;

    private ConnectionsPerClient(final String listener, final int max, final ConcurrentHashMap<InetAddress, Integer> open,
        final ConcurrencyMetrics metrics)
    {
        this.listener = listener;
        this.max = max;
        this.open = open;
        this.metrics = metrics;
    }

    /**
     * The caps of the listeners that have one, by address, each keeping the counts of the cap
     * {@code before} had at its address.
     */
    public static Map<InetSocketAddress, ConnectionsPerClient> of(final List<Listener> listeners,
        final Map<InetSocketAddress, ConnectionsPerClient> before, final ConcurrencyMetrics metrics)
    {
        final Map<InetSocketAddress, ConnectionsPerClient> caps = new HashMap<>();
        for (final Listener listener : listeners)
        {
            if (listener.maxConnectionsPerClient() > 0)
            {
                final ConnectionsPerClient previous = before.get(listener.address());
                caps.put(listener.address(), new ConnectionsPerClient(listener.name(), listener.maxConnectionsPerClient(),
                    previous == null ? new ConcurrentHashMap<>() : previous.open, metrics));
            }
        }
        return Map.copyOf(caps);
    }

    /**
     * Counts the connection under its client's address until it closes, or, over the cap,
     * closes it and counts the refusal.
     *
     * @return whether it may go on.
     */
    boolean admit(final Channel connection)
    {
        final InetSocketAddress client = ConnectionAddresses.of(connection).client();
        if (client == null)
        {
            return true; // closed as it was accepted: nothing to count, and it goes nowhere
        }
        final InetAddress address = client.getAddress();
        // Counted first, taken back when over: concurrent connections of one address never both pass the last place.
        if (open.merge(address, 1, Integer::sum) > max)
        {
            closed(address);
            metrics.perClientConnectionRefused(listener);
            connection.close();
            return false;
        }
        connection.closeFuture().addListener((closing) -> closed(address));
        return true;
    }

    private void closed(final InetAddress address)
    {
        open.computeIfPresent(address, (key, count) -> count == 1 ? null : count - 1);
    }

    /** Client addresses with connections open now. */
    int clients()
    {
        return open.size();
    }

    /**
     * For a listener with {@code proxy_protocol}: a handler right after the header's receiver,
     * which admits the connection at its first bytes after the header, by the client it named.
     */
    ChannelInboundHandlerAdapter afterProxyHeader()
    {
        return new ChannelInboundHandlerAdapter()
        {
            @Override
            public void channelRead(final ChannelHandlerContext ctx, final Object msg)
            {
                ctx.pipeline().remove(this);
                if (admit(ctx.channel()))
                {
                    ctx.fireChannelRead(msg);
                }
                else
                {
                    ReferenceCountUtil.release(msg);
                }
            }
        };
    }
}
