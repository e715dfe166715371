package io.sluice.l7.proxyprotocol;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.sluice.l7.config.Pool;

import java.net.InetSocketAddress;

/**
 * First in a backend connection's pipeline (nearest the socket): puts the PROXY protocol header
 * before the connection's first bytes, whoever writes them, then leaves. Written with the first
 * write rather than when the connection becomes active, because the exchange waiting for the
 * connection is told of it (and writes its request) before the pipeline hears it is active.
 */
public final class ProxyHeaderSender extends ChannelOutboundHandlerAdapter
{
    private final Pool.SendProxy version;
    private final InetSocketAddress source;
    private final InetSocketAddress destination;
    private final ClientTls tls;

    private ProxyHeaderSender(final Pool.SendProxy version, final InetSocketAddress source, final InetSocketAddress destination,
        final ClientTls tls)
    {
        this.version = version;
        this.source = source;
        this.destination = destination;
        this.tls = tls;
    }

    /**
     * For a connection that speaks for {@code client}'s connection alone: its addresses, as
     * {@link ConnectionAddresses} has them, and its TLS.
     */
    public static ProxyHeaderSender forClient(final Pool.SendProxy version, final Channel client)
    {
        final Channel connection = ConnectionAddresses.connection(client);
        final ConnectionAddresses addresses = ConnectionAddresses.of(connection);
        if (addresses.local() == null)
        {
            return forHealthCheck(version); // a channel without socket addresses (in memory): nothing true to name
        }
        return new ProxyHeaderSender(version, addresses.client(), addresses.local(), ClientTls.of(connection));
    }

    /** For a connection that relays no client (a health check's): v1 {@code UNKNOWN}, v2 {@code LOCAL}. */
    public static ProxyHeaderSender forHealthCheck(final Pool.SendProxy version)
    {
        return new ProxyHeaderSender(version, null, null, null);
    }

    @Override
    public void write(final ChannelHandlerContext ctx, final Object msg, final ChannelPromise promise)
    {
        ctx.write(ProxyHeaderEncoder.encode(version, ctx.alloc(), source, destination, tls), ctx.voidPromise());
        ctx.pipeline().remove(this);
        ctx.write(msg, promise);
    }
}
