package io.sluice.l7.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A named group of backend servers and how requests are spread over them.
 *
 * @param name    unique; routes refer to it.
 * @param balance the algorithm.
 * @param hashOn  for {@link Balance#HASH}: what is hashed; else null.
 * @param sticky  sticky sessions by an inserted cookie, or null for none.
 * @param servers at least one as the file names them; as served ({@link #withServers}), a server per address of
 *                each DNS name, so none while its names have not resolved.
 * @param health  the active health check, or null for none.
 * @param sendProxy the PROXY protocol header each backend connection begins with, or null for none.
 * @param protocol  what the proxy speaks to the servers.
 * @param maxRequests {@code max_requests}: requests in flight to all its servers together at most; 0 for no limit.
 * @param queue     where requests wait while the limits (the pool's, its servers') are reached.
 */
public record Pool(String name, Balance balance, HashOn hashOn, Sticky sticky, List<Server> servers, HealthCheck health,
    SendProxy sendProxy, Protocol protocol, int maxRequests, Queue queue)
{
    public Pool
    {
        servers = List.copyOf(servers);
    }

    /** A pool without limits on its requests in flight. */
    public Pool(final String name, final Balance balance, final HashOn hashOn, final Sticky sticky, final List<Server> servers,
        final HealthCheck health, final SendProxy sendProxy, final Protocol protocol)
    {
        this(name, balance, hashOn, sticky, servers, health, sendProxy, protocol, 0, Queue.DEFAULT);
    }

    /** A pool spoken to in HTTP/1.1 whose backend connections carry no PROXY protocol header. */
    public Pool(final String name, final Balance balance, final HashOn hashOn, final Sticky sticky, final List<Server> servers,
        final HealthCheck health)
    {
        this(name, balance, hashOn, sticky, servers, health, null, Protocol.HTTP1);
    }

    /** A pool spoken to in HTTP/1.1. */
    public Pool(final String name, final Balance balance, final HashOn hashOn, final Sticky sticky, final List<Server> servers,
        final HealthCheck health, final SendProxy sendProxy)
    {
        this(name, balance, hashOn, sticky, servers, health, sendProxy, Protocol.HTTP1);
    }

    /** A pool whose backend connections carry no PROXY protocol header. */
    public Pool(final String name, final Balance balance, final HashOn hashOn, final Sticky sticky, final List<Server> servers,
        final HealthCheck health, final Protocol protocol)
    {
        this(name, balance, hashOn, sticky, servers, health, null, protocol);
    }

    /** The same pool with other servers (its servers' names resolved to their addresses). */
    public Pool withServers(final List<Server> resolved)
    {
        return new Pool(name, balance, hashOn, sticky, resolved, health, sendProxy, protocol, maxRequests, queue);
    }

    /**
     * {@code send_proxy: v1 | v2}: the version of the PROXY protocol header sent first on each
     * backend connection, naming the client's address and the address it connected to (v2 also
     * the client's TLS: ALPN, SNI and its certificate's CN). Such a connection speaks for one
     * client connection only, so it is never lent to another client.
     */
    public enum SendProxy
    {
        V1, V2
    }

    public enum Balance
    {
        /** Smooth weighted round-robin (nginx's). */
        ROUND_ROBIN,
        /** The less loaded of two servers picked at random, weighted (Envoy's least_request). */
        LEAST_REQUEST,
        /** Consistent hashing on {@link HashOn}: a key keeps its server while the pool changes around it. */
        HASH
    }

    /** What {@link Balance#HASH} hashes: a header's value, a cookie's value, or the client address. */
    public record HashOn(Kind kind, String name)
    {
        public enum Kind
        {
            HEADER, COOKIE, CLIENT_ADDRESS
        }
    }

    /**
     * Sticky sessions: the first response carries a cookie naming the server (by a hash of its
     * name, not its position, so the cookie survives servers being added or removed), and
     * requests that bring it back go to that server while it is up.
     *
     * @param cookie the cookie's name.
     */
    public record Sticky(String cookie)
    {
    }

    /**
     * What the proxy speaks to a pool's servers ({@code protocol:}).
     *
     * @param version    HTTP/1.1, or HTTP/2 in cleartext with prior knowledge (h2c) or over TLS (h2).
     * @param maxStreams for HTTP/2: the streams one connection carries at most ({@code max_streams:}); the server's
     *                   SETTINGS_MAX_CONCURRENT_STREAMS lowers it, and a request finding every connection full opens another.
     * @param tls        for h2: how the servers are verified and the proxy known to them; else null.
     */
    public record Protocol(Version version, int maxStreams, Tls tls)
    {
        /** RFC 9113 5.1.2 asks servers to allow at least 100 concurrent streams. */
        public static final int DEFAULT_MAX_STREAMS = 100;
        public static final Protocol HTTP1 = new Protocol(Version.HTTP1, DEFAULT_MAX_STREAMS, null);

        public enum Version
        {
            /** HTTP/1.1 with keep-alive: one exchange per connection at a time. */
            HTTP1,
            /** HTTP/2 over cleartext TCP, the connection opened with the HTTP/2 preface (as gRPC servers expect). */
            H2C,
            /** HTTP/2 over TLS, chosen by ALPN. */
            H2
        }

        /** Whether exchanges are streams multiplexed on shared connections. */
        public boolean http2()
        {
            return version != Version.HTTP1;
        }

        /**
         * TLS to an h2 pool's servers ({@code tls_server_name:}, {@code ca:}, {@code cert:}, {@code key:}).
         *
         * @param serverName sent as SNI and verified against the certificate; null to verify the server's address.
         * @param ca         PEM certificates the servers' chains must end in; null for the JDK's trusted roots.
         * @param cert       the proxy's client certificate chain (PEM), or null for none; with {@code key}.
         * @param key        its private key (PKCS#8 PEM), or null.
         */
        public record Tls(String serverName, Path ca, Path cert, Path key)
        {
        }
    }

    /**
     * {@code queue: { size: 1024, timeout: 5s }}: the requests that find the pool at its
     * {@code max_requests}, or every server they may go to at its own, wait here in arrival order
     * (HAProxy's queue), a slot going to the oldest one that can take it; one more than
     * {@code size} waiting, or one waiting longer than {@code timeout}, is answered 503.
     *
     * @param size    requests waiting at most (0: none wait, a full pool answers at once).
     * @param timeout how long one waits at most (HAProxy's {@code timeout queue}).
     */
    public record Queue(int size, Duration timeout)
    {
        /** Bounded, unlike HAProxy's queue: what waits holds memory; 5 s as HAProxy's default (its timeout connect's). */
        public static final Queue DEFAULT = new Queue(1024, Duration.ofSeconds(5));
    }
}
