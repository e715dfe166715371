package io.sluice.l7.config;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The addresses sluice binds: {@code listeners}, then {@code admin}; it remembers the
 * listeners' addresses to keep the admin endpoint off them.
 */
final class ListenerReader
{
    private static final int HTTPS_PORT = 443;
    /** The most connections per client address a listener may allow. */
    private static final int MAX_CONNECTIONS_PER_CLIENT_LIMIT = 1_000_000;

    private final List<InetSocketAddress> bound = new ArrayList<>();
    private final List<ConfigNode> boundNodes = new ArrayList<>();

    List<Listener> listeners(final ConfigNode node)
    {
        final List<Listener> listeners = new ArrayList<>();
        final FirstUses<String> names = new FirstUses<>();
        for (final ConfigNode item : node.nonEmptyList("listener"))
        {
            final ConfigMapping fields = item.mapping("name", "address", "proxy_protocol", "tls", "redirect_https",
                "websocket_over_h2", "max_connections_per_client");
            final ConfigNode nameNode = fields.required("name");
            final String name = nameNode.parse(HttpSyntax::name);
            names.claim(name, nameNode, item, "'" + name + "'");
            final ConfigNode addressNode = fields.required("address");
            final InetSocketAddress address = SocketAddresses.read(addressNode);
            claim(addressNode, address);
            final ConfigNode proxyProtocolNode = fields.optional("proxy_protocol");
            final ConfigNode tlsNode = fields.optional("tls");
            final ListenerTls tls = tlsNode == null ? null : TlsReader.tls(tlsNode);
            final ConfigNode webSocketsNode = fields.optional("websocket_over_h2");
            final ConfigNode perClientNode = fields.optional("max_connections_per_client");
            listeners.add(new Listener(name, address, proxyProtocolNode == null ? null : proxyProtocol(proxyProtocolNode), tls,
                redirectHttps(fields.optional("redirect_https"), tls), webSocketsNode == null || webSocketsNode.bool(),
                perClientNode == null ? 0 : perClientNode.integer(1, MAX_CONNECTIONS_PER_CLIENT_LIMIT)));
        }
        return listeners;
    }

    /** {@code proxy_protocol: { trusted: [ADDR or ADDR/LEN, ...], required: true }}; required by default. */
    private static Listener.ProxyProtocol proxyProtocol(final ConfigNode node)
    {
        final ConfigMapping fields = node.mapping("trusted", "required");
        final List<AddressBlock> trusted = new ArrayList<>();
        for (final ConfigNode block : fields.required("trusted").nonEmptyList("address or block (ADDR or ADDR/LEN)"))
        {
            if (block.isList())
            {
                throw block.error("expected ADDR or ADDR/LEN, found a list (quote IPv6 blocks: \"2001:2::/64\")");
            }
            trusted.add(block.parse(AddressBlock::parse));
        }
        final ConfigNode requiredNode = fields.optional("required");
        return new Listener.ProxyProtocol(trusted, requiredNode == null || requiredNode.bool());
    }

    /** {@code redirect_https: true} (to 443), a port, or false; only on a cleartext listener. */
    private static int redirectHttps(final ConfigNode node, final ListenerTls tls)
    {
        if (node == null)
        {
            return 0;
        }
        final int port = switch (node.text())
        {
            case "true" -> HTTPS_PORT;
            case "false" -> 0;
            default -> node.integer(1, 65535);
        };
        if (port > 0 && tls != null)
        {
            throw node.error("redirects a cleartext listener to https; this listener has tls");
        }
        return port;
    }

    Admin admin(final ConfigNode node)
    {
        final ConfigNode addressNode = node.mapping("address").required("address");
        final InetSocketAddress address = SocketAddresses.read(addressNode);
        if (!address.getAddress().isLoopbackAddress())
        {
            // The admin endpoint can drain and reload; it must not be reachable from the network.
            throw addressNode.error("'" + addressNode.text() + "' is not a loopback address (127.0.0.0/8 or [::1])");
        }
        claim(addressNode, address);
        return new Admin(address);
    }

    /**
     * Two sockets cannot bind where they overlap: the same address and port, or a wildcard and
     * any address of its family on the same port ({@code [::]} takes IPv4 as well, as Java binds
     * it dual-stack). Refused here rather than by bind() at start, with both lines named.
     */
    private void claim(final ConfigNode addressNode, final InetSocketAddress address)
    {
        for (int i = 0; i < bound.size(); i++)
        {
            if (overlap(address, bound.get(i)))
            {
                final ConfigNode other = boundNodes.get(i);
                throw addressNode.error("'" + addressNode.text() + "' overlaps " + other.path() + " '" + other.text() + "'");
            }
        }
        bound.add(address);
        boundNodes.add(addressNode);
    }

    private static boolean overlap(final InetSocketAddress a, final InetSocketAddress b)
    {
        if (a.getPort() != b.getPort())
        {
            return false;
        }
        return a.getAddress().equals(b.getAddress()) || covers(a, b) || covers(b, a);
    }

    private static boolean covers(final InetSocketAddress wildcard, final InetSocketAddress other)
    {
        if (!wildcard.getAddress().isAnyLocalAddress())
        {
            return false;
        }
        return wildcard.getAddress() instanceof Inet6Address || !(other.getAddress() instanceof Inet6Address);
    }
}
