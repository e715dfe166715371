package io.sluice.l7.proxy;

import java.net.InetSocketAddress;

/**
 * A request sent to one backend as the client asked for it, with nothing edited: for tests in
 * which the proxy alone decides what changes.
 *
 * @param backend      where it goes.
 * @param uri          the target, unchanged.
 * @param maxBodyBytes its own body limit, or {@link RoutedRequest#PROXY_LIMIT}.
 */
record Unchanged(InetSocketAddress backend, String uri, long maxBodyBytes) implements RoutedRequest
{
    Unchanged(final InetSocketAddress backend, final String uri)
    {
        this(backend, uri, PROXY_LIMIT);
    }

    @Override
    public int refusalStatus()
    {
        return 503;
    }
}
