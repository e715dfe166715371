package io.sluice.l7.proxyprotocol;

import java.net.InetSocketAddress;

/**
 * What a received PROXY protocol header says: the connection it relays, or nothing (v2's LOCAL
 * command, a v1 {@code UNKNOWN} or a v2 family without IP addresses), when the connection's own
 * addresses stand.
 *
 * @param source      the client's address; null for {@link #LOCAL}.
 * @param destination the address the client connected to; null for {@link #LOCAL}.
 */
record ProxyHeader(InetSocketAddress source, InetSocketAddress destination)
{
    /** A header that relays no connection: a health check from the balancer in front, say. */
    static final ProxyHeader LOCAL = new ProxyHeader(null, null);

    boolean local()
    {
        return source == null;
    }
}
