package io.sluice.l7.proxy;

import java.net.InetSocketAddress;

/**
 * The route of a request refused before routing (its head broke the rules): none, so its
 * exchange is counted and logged as one that no route took.
 */
final class Unrouted implements RoutedRequest
{
    static final Unrouted INSTANCE = new Unrouted();

    private Unrouted()
    {
    }

    @Override
    public InetSocketAddress backend()
    {
        return null;
    }

    @Override
    public int refusalStatus()
    {
        return 400;
    }

    @Override
    public String uri()
    {
        return "";
    }
}
