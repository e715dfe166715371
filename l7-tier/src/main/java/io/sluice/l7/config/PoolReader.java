package io.sluice.l7.config;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** {@code pools}: a mapping of name to pool, in file order. */
final class PoolReader
{
    static final int DEFAULT_SERVER_WEIGHT = 100;
    /** The most streams per backend connection a pool may ask for; as the client side's concurrent_streams. */
    static final int MAX_STREAMS_LIMIT = 10_000;
    /** The most requests in flight a limit may name, a pool's or a server's. */
    static final int MAX_REQUESTS_LIMIT = 1_000_000;
    /** The most requests a pool's queue may hold. */
    static final int QUEUE_SIZE_LIMIT = 100_000;
    private static final List<String> TLS_KEYS = List.of("tls_server_name", "ca", "cert", "key");
    private static final Pattern HOST_NAME = Pattern.compile("(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)*" +
        "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    private PoolReader()
    {
    }

    static Map<String, Pool> pools(final ConfigNode node)
    {
        final List<ConfigNode.Entry> entries = node.entries();
        if (entries.isEmpty())
        {
            throw node.error("needs at least one pool");
        }
        final Map<String, Pool> pools = new LinkedHashMap<>();
        for (final ConfigNode.Entry entry : entries)
        {
            final String name = entry.key().parse(HttpSyntax::name);
            pools.put(name, pool(name, entry.value()));
        }
        return pools;
    }

    private static Pool pool(final String name, final ConfigNode node)
    {
        final ConfigMapping fields = node.mapping("balance", "hash_on", "sticky", "servers", "health", "send_proxy", "protocol",
            "max_streams", "tls_server_name", "ca", "cert", "key", "max_requests", "queue");
        final ConfigNode balanceNode = fields.optional("balance");
        final Pool.Balance balance = balanceNode == null ? Pool.Balance.ROUND_ROBIN : balance(balanceNode);
        final ConfigNode hashOnNode = fields.optional("hash_on");
        Pool.HashOn hashOn = null;
        if (balance == Pool.Balance.HASH)
        {
            if (hashOnNode == null)
            {
                throw balanceNode.error("hash needs hash_on: { header: NAME }, { cookie: NAME } or client-address");
            }
            hashOn = hashOn(hashOnNode);
        }
        else if (hashOnNode != null)
        {
            throw fields.key("hash_on").error("only with balance: hash");
        }
        final ConfigNode stickyNode = fields.optional("sticky");
        final Pool.Sticky sticky = stickyNode == null ? null : sticky(stickyNode);
        final List<Server> servers = servers(fields.required("servers"));
        final ConfigNode healthNode = fields.optional("health");
        final HealthCheck health = healthNode == null ? null : HealthCheckReader.healthCheck(healthNode);
        final Pool.Protocol protocol = protocol(fields);
        final ConfigNode sendProxyNode = fields.optional("send_proxy");
        final Pool.SendProxy sendProxy = sendProxyNode == null ? null : sendProxy(sendProxyNode);
        if (sendProxy != null && protocol.http2())
        {
            // An HTTP/2 connection carries many clients' streams; a PROXY header names one client.
            throw sendProxyNode.error("only with protocol: http1 (an HTTP/2 connection carries many clients' streams)");
        }
        final ConfigNode maxRequestsNode = fields.optional("max_requests");
        final int maxRequests = maxRequestsNode == null ? 0 : maxRequestsNode.integer(1, MAX_REQUESTS_LIMIT);
        final ConfigNode queueNode = fields.optional("queue");
        if (queueNode != null && maxRequests == 0 && servers.stream().allMatch(server -> server.maxRequests() == 0))
        {
            throw fields.key("queue")
                .error("only with max_requests on the pool or one of its servers (nothing waits without a limit)");
        }
        return new Pool(name, balance, hashOn, sticky, servers, health, sendProxy, protocol, maxRequests,
            queueNode == null ? Pool.Queue.DEFAULT : queue(queueNode));
    }

    /** {@code queue: { size: N, timeout: 5s }}, each key optional. */
    private static Pool.Queue queue(final ConfigNode node)
    {
        final ConfigMapping fields = node.mapping("size", "timeout");
        final ConfigNode sizeNode = fields.optional("size");
        final ConfigNode timeoutNode = fields.optional("timeout");
        return new Pool.Queue(sizeNode == null ? Pool.Queue.DEFAULT.size() : sizeNode.integer(0, QUEUE_SIZE_LIMIT),
            timeoutNode == null ? Pool.Queue.DEFAULT.timeout() : timeoutNode.parse(Durations::parse));
    }

    private static Pool.SendProxy sendProxy(final ConfigNode node)
    {
        final String text = node.text();
        return switch (text)
        {
            case "v1" -> Pool.SendProxy.V1;
            case "v2" -> Pool.SendProxy.V2;
            default -> throw node.error("'" + text + "' is not v1 or v2");
        };
    }

    private static Pool.Protocol protocol(final ConfigMapping fields)
    {
        final ConfigNode node = fields.optional("protocol");
        final Pool.Protocol.Version version = node == null ? Pool.Protocol.Version.HTTP1 : switch (node.text())
        {
            case "http1" -> Pool.Protocol.Version.HTTP1;
            case "h2c" -> Pool.Protocol.Version.H2C;
            case "h2" -> Pool.Protocol.Version.H2;
            default -> throw node.error("'" + node.text() + "' is not http1, h2c or h2");
        };
        final Pool.Protocol.Tls tls = tls(fields, version);
        final ConfigNode maxStreamsNode = fields.optional("max_streams");
        if (maxStreamsNode == null)
        {
            return version == Pool.Protocol.Version.HTTP1 ? Pool.Protocol.HTTP1
                : new Pool.Protocol(version, Pool.Protocol.DEFAULT_MAX_STREAMS, tls);
        }
        if (version == Pool.Protocol.Version.HTTP1)
        {
            throw fields.key("max_streams").error("only with protocol: h2c or h2 (HTTP/1.1 carries one exchange at a time)");
        }
        return new Pool.Protocol(version, maxStreamsNode.integer(1, MAX_STREAMS_LIMIT), tls);
    }

    /** An h2 pool's TLS keys (all optional); refused on any other pool. */
    private static Pool.Protocol.Tls tls(final ConfigMapping fields, final Pool.Protocol.Version version)
    {
        if (version != Pool.Protocol.Version.H2)
        {
            for (final String key : TLS_KEYS)
            {
                if (fields.has(key))
                {
                    throw fields.key(key).error("only with protocol: h2 (TLS to the servers)");
                }
            }
            return null;
        }
        final ConfigNode serverNameNode = fields.optional("tls_server_name");
        final String serverName = serverNameNode == null ? null : serverNameNode.parse(PoolReader::serverName);
        final Path cert = readableFile(fields.optional("cert"));
        final Path key = readableFile(fields.optional("key"));
        if ((cert == null) != (key == null))
        {
            throw fields.key(cert == null ? "key" : "cert")
                .error("cert and key go together (the client certificate and its key)");
        }
        return new Pool.Protocol.Tls(serverName, readableFile(fields.optional("ca")), cert, key);
    }

    private static String serverName(final String text)
    {
        if (!HOST_NAME.matcher(text).matches())
        {
            throw new IllegalArgumentException("'" + text + "' is not a DNS host name");
        }
        return text.toLowerCase(Locale.ROOT);
    }

    /**
     * {@code ADDR:PORT}, or {@code NAME:PORT} for a server found by DNS (an unresolved address). A name has a
     * letter in it, so a malformed dotted quad ({@code 1.2.3:80}) is still refused as one.
     */
    private static InetSocketAddress serverAddress(final ConfigNode node)
    {
        if (node.isScalar())
        {
            final String text = node.text();
            final int colon = text.lastIndexOf(':');
            final String host = colon < 0 ? "" : text.substring(0, colon);
            if (HOST_NAME.matcher(host).matches() && host.chars().anyMatch(Character::isLetter))
            {
                final int port = node.parse(whole -> SocketAddresses.port(whole.substring(colon + 1), whole));
                return InetSocketAddress.createUnresolved(host.toLowerCase(Locale.ROOT), port);
            }
        }
        return SocketAddresses.read(node);
    }

    private static Path readableFile(final ConfigNode node)
    {
        if (node == null)
        {
            return null;
        }
        final Path file = Path.of(node.text());
        if (!Files.isReadable(file) || Files.isDirectory(file))
        {
            throw node.error("cannot read the file " + file);
        }
        return file;
    }

    private static Pool.Balance balance(final ConfigNode node)
    {
        final String text = node.text();
        return switch (text)
        {
            case "round-robin" -> Pool.Balance.ROUND_ROBIN;
            case "least-request" -> Pool.Balance.LEAST_REQUEST;
            case "hash" -> Pool.Balance.HASH;
            default -> throw node.error("'" + text + "' is not round-robin, least-request or hash");
        };
    }

    private static Pool.HashOn hashOn(final ConfigNode node)
    {
        if (node.isScalar())
        {
            if (!node.text().equals("client-address"))
            {
                throw node.error("'" + node.text() + "' is not client-address, { header: NAME } or { cookie: NAME }");
            }
            return new Pool.HashOn(Pool.HashOn.Kind.CLIENT_ADDRESS, null);
        }
        final ConfigMapping fields = node.mapping("header", "cookie");
        if (fields.has("header") == fields.has("cookie"))
        {
            throw node.error("needs exactly one of header, cookie");
        }
        if (fields.has("header"))
        {
            // Header names are case-insensitive: one spelling lets the proxy look it up directly.
            final String header = fields.required("header").parse(HttpSyntax::headerName).toLowerCase(Locale.ROOT);
            return new Pool.HashOn(Pool.HashOn.Kind.HEADER, header);
        }
        return new Pool.HashOn(Pool.HashOn.Kind.COOKIE, fields.required("cookie").parse(text -> HttpSyntax.token(text, "a cookie name")));
    }

    private static Pool.Sticky sticky(final ConfigNode node)
    {
        return new Pool.Sticky(node.mapping("cookie").required("cookie").parse(text -> HttpSyntax.token(text, "a cookie name")));
    }

    private static List<Server> servers(final ConfigNode node)
    {
        final List<Server> servers = new ArrayList<>();
        final FirstUses<String> names = new FirstUses<>();
        final FirstUses<InetSocketAddress> addresses = new FirstUses<>();
        for (final ConfigNode item : node.nonEmptyList("server"))
        {
            final ConfigMapping fields = item.mapping("name", "address", "weight", "max_requests");
            final ConfigNode nameNode = fields.required("name");
            final String name = nameNode.parse(HttpSyntax::name);
            names.claim(name, nameNode, item, "'" + name + "'");
            final ConfigNode addressNode = fields.required("address");
            final InetSocketAddress address = serverAddress(addressNode);
            if (!address.isUnresolved() && address.getAddress().isAnyLocalAddress())
            {
                throw addressNode.error("'" + addressNode.text() + "' is a wildcard, not a server's address");
            }
            // Listing a server twice would double its share by accident; weight says it on purpose.
            addresses.claim(address, addressNode, item, "'" + addressNode.text() + "'");
            final ConfigNode weightNode = fields.optional("weight");
            final int weight = weightNode == null ? DEFAULT_SERVER_WEIGHT : weightNode.integer(1, 65535);
            final ConfigNode maxRequestsNode = fields.optional("max_requests");
            final int maxRequests = maxRequestsNode == null ? 0 : maxRequestsNode.integer(1, MAX_REQUESTS_LIMIT);
            servers.add(new Server(name, address, weight, maxRequests));
        }
        return servers;
    }
}
