package io.sluice.l7.proxy;

import io.netty.handler.codec.http.HttpRequest;

import java.net.InetSocketAddress;

/**
 * Decides, per request, where it goes. Shared by every event loop, so thread-safe; called on the
 * client connection's event loop, so it must not block.
 */
@FunctionalInterface
public interface RequestRouter
{
    /**
     * @param request the request head, as the client sent it.
     * @param client  the client's address (the TCP peer).
     */
    RoutedRequest route(HttpRequest request, InetSocketAddress client);
}
