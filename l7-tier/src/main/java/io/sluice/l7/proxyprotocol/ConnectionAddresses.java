package io.sluice.l7.proxyprotocol;

import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.AttributeKey;

import java.net.InetSocketAddress;

/**
 * The addresses a client connection is known by: the client's, and the one it connected to.
 * The TCP peer's and the socket's own, unless a trusted peer's PROXY protocol header named
 * others, which {@link ProxyProtocolReceiver} records here once, before the connection's first
 * request is read. Everything that speaks of the client (X-Forwarded-For, the access log,
 * hashing on the client address, the PROXY header sent on to a backend) reads it from here.
 *
 * @param client the client's address.
 * @param local  the address the client connected to; null on a channel that has none (in memory).
 */
public record ConnectionAddresses(InetSocketAddress client, InetSocketAddress local)
{
    private static final AttributeKey<ConnectionAddresses> RELAYED = AttributeKey.valueOf("sluice.relayed-addresses");

    /** The client connection a channel belongs to: an HTTP/2 stream's is its parent, a connection is its own. */
    public static Channel connection(final Channel channel)
    {
        return channel instanceof Http2StreamChannel ? channel.parent() : channel;
    }

    /** The addresses of the client connection {@code channel} belongs to. */
    public static ConnectionAddresses of(final Channel channel)
    {
        final Channel connection = connection(channel);
        final ConnectionAddresses relayed = connection.attr(RELAYED).get();
        if (relayed != null)
        {
            return relayed;
        }
        return new ConnectionAddresses((InetSocketAddress)connection.remoteAddress(),
            connection.localAddress() instanceof InetSocketAddress local ? local : null);
    }

    /** A trusted peer's header named these: they stand for the connection from now on. */
    static void relayed(final Channel connection, final ConnectionAddresses addresses)
    {
        connection.attr(RELAYED).set(addresses);
    }
}
