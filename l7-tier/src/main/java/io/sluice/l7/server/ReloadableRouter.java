package io.sluice.l7.server;

import io.netty.handler.codec.http.HttpRequest;
import io.sluice.l7.proxy.RequestRouter;
import io.sluice.l7.proxy.RoutedRequest;

import java.net.InetSocketAddress;

/**
 * The router the proxy holds for its whole life: it delegates to the current configuration's,
 * which a reload replaces with one volatile write. A request in flight keeps the route and
 * server it was given; the next request sees the new configuration.
 */
final class ReloadableRouter implements RequestRouter
{
    private volatile ConfiguredRouter current;

    ReloadableRouter(final ConfiguredRouter initial)
    {
        this.current = initial;
        initial.serve();
    }

    ConfiguredRouter current()
    {
        return current;
    }

    /** The next configuration routes from now on, and takes the requests waiting in its pools' queues. */
    void replace(final ConfiguredRouter next)
    {
        current = next;
        next.serve();
    }

    @Override
    public RoutedRequest route(final HttpRequest request, final InetSocketAddress client)
    {
        return current.route(request, client);
    }
}
