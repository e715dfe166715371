package io.sluice.l7.config;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Where clients connect: {@code address: 198.18.1.1:80} or {@code "[2001:2:0:1::1]:80"} (an IP
 * literal, no name lookup; {@code 0.0.0.0} or {@code "[::]"} for every address).
 *
 * @param proxyProtocol       whose PROXY protocol headers are believed, or null: none are.
 * @param tls                 TLS to clients, or null for cleartext.
 * @param redirectHttpsPort   {@code redirect_https}: on a cleartext listener, the port every request
 *                            is redirected to over https (443 for {@code true}); 0 for none.
 * @param webSocketsOverHttp2 {@code websocket_over_h2} (true by default): HTTP/2 clients may open
 *                            WebSockets by extended CONNECT (RFC 8441), which the listener advertises.
 * @param maxConnectionsPerClient {@code max_connections_per_client}: open connections from one client
 *                            address at most (by the PROXY protocol header's address where one is believed);
 *                            0 for no limit.
 */
public record Listener(String name, InetSocketAddress address, ProxyProtocol proxyProtocol, ListenerTls tls,
    int redirectHttpsPort, boolean webSocketsOverHttp2, int maxConnectionsPerClient)
{
    /** A cleartext listener that takes no PROXY protocol header. */
    public Listener(final String name, final InetSocketAddress address)
    {
        this(name, address, null, null, 0, true, 0);
    }

    /** A cleartext listener. */
    public Listener(final String name, final InetSocketAddress address, final ProxyProtocol proxyProtocol)
    {
        this(name, address, proxyProtocol, null, 0, true, 0);
    }

    /** A listener that takes no PROXY protocol header. */
    public Listener(final String name, final InetSocketAddress address, final ListenerTls tls, final int redirectHttpsPort)
    {
        this(name, address, null, tls, redirectHttpsPort, true, 0);
    }

    /**
     * {@code proxy_protocol: { trusted: [198.18.0.0/24, "2001:2::/64"], required: true }}: a
     * connection from a trusted peer (an L4 balancer in front) begins with a PROXY protocol v1
     * or v2 header, whose addresses become the client's; a header from any other peer is refused.
     *
     * @param trusted  the peers whose headers are believed (at least one block).
     * @param required whether a trusted peer must send one (HAProxy's {@code accept-proxy});
     *                 false lets it also connect without, its own address then being the client's.
     */
    public record ProxyProtocol(List<AddressBlock> trusted, boolean required)
    {
        public ProxyProtocol
        {
            trusted = List.copyOf(trusted);
        }
    }
}
