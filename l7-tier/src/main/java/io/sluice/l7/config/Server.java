package io.sluice.l7.config;

import java.net.InetSocketAddress;

/**
 * A backend server of a pool.
 *
 * @param name    unique within its pool; sticky cookies name servers by it.
 * @param address an IP literal and port (no name lookup).
 * @param weight  1-65535, relative share of requests.
 */
public record Server(String name, InetSocketAddress address, int weight)
{
}
