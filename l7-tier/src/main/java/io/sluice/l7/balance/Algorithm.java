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
}
