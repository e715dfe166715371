package io.sluice.l7.config;

import java.util.List;

/**
 * A named group of backend servers and how requests are spread over them.
 *
 * @param name    unique; routes refer to it.
 * @param balance the algorithm.
 * @param hashOn  for {@link Balance#HASH}: what is hashed; else null.
 * @param sticky  sticky sessions by an inserted cookie, or null for none.
 * @param servers at least one.
 * @param health  the active health check, or null for none.
 * @param sendProxy the PROXY protocol header each backend connection begins with, or null for none.
 */
public record Pool(String name, Balance balance, HashOn hashOn, Sticky sticky, List<Server> servers, HealthCheck health,
    SendProxy sendProxy)
{
    public Pool
    {
        servers = List.copyOf(servers);
    }

    /** A pool whose backend connections carry no PROXY protocol header. */
    public Pool(final String name, final Balance balance, final HashOn hashOn, final Sticky sticky, final List<Server> servers,
        final HealthCheck health)
    {
        this(name, balance, hashOn, sticky, servers, health, null);
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
}
