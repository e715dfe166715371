package io.sluice.l7.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A backend server of a pool.
 *
 * @param name    unique within its pool; sticky cookies name servers by it.
 * @param address an IP literal and port; or, as the file named it, an unresolved DNS name and port
 *                ({@link InetSocketAddress#isUnresolved()}), which {@code io.sluice.l7.dns} turns into a server per address.
 * @param weight  1-65535, relative share of requests.
 * @param maxRequests {@code max_requests}: requests in flight to it at most, over any number of
 *                    connections and HTTP/2 streams (HAProxy's server {@code maxconn}); 0 for no limit.
 */
public record Server(String name, InetSocketAddress address, int weight, int maxRequests)
{
    /** A server without a limit on its requests in flight. */
    public Server(final String name, final InetSocketAddress address, final int weight)
    {
        this(name, address, weight, 0);
    }

    /** The same server at one of its name's addresses, named {@code name#address} ({@code api#198.18.0.31}). */
    public Server at(final InetAddress resolved)
    {
        return new Server(name + "#" + resolved.getHostAddress(), new InetSocketAddress(resolved, address.getPort()), weight,
            maxRequests);
    }
}
