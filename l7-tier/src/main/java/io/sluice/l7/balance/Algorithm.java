package io.sluice.l7.balance;

import io.netty.handler.codec.http.HttpRequest;

import java.net.InetSocketAddress;

/** How a pool chooses among its healthy servers; shared by every event loop, so thread-safe. */
interface Algorithm
{
    /**
     * @param healthy never empty.
     * @param client  the client's address, or null when unknown.
     * @return one of {@code healthy}'s upstreams.
     */
    Upstream choose(HttpRequest request, InetSocketAddress client, HealthySet healthy);

    /**
     * Whether the request's server follows from the request itself (a hash of its key), so that
     * it waits for that server when it is full rather than go to another, as HAProxy queues a
     * request on the server its hash or cookie names; false by default.
     */
    default boolean keyed(final HttpRequest request, final InetSocketAddress client)
    {
        return false;
    }
}
